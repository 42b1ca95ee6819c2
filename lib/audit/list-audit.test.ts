import { afterAll, beforeAll, expect, it } from "vitest";
import { auditLog, user } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { listAudit } from "./list-audit";

describeEachDriver("audit log list: people by name or email, actions by group or exactly", (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(driver);
    const db = t.handle.db;
    await db.insert(user).values({ id: "u1", name: "王小明", email: "ming@x.test", role: "admin" });
    await db.insert(auditLog).values([
      { actorId: "u1", actorEmail: "ming@x.test", action: "campaign.approve", entityType: "campaign" },
      { actorId: "u1", actorEmail: "ming@x.test", action: "campaign.create", entityType: "campaign" },
      { actorId: "gone", actorEmail: "left@x.test", action: "media.upload", entityType: "media" },
      { actorId: null, actorEmail: null, action: "campaign.finish", entityType: "campaign" },
    ]);
  });
  afterAll(() => t.dispose());

  it("names the person who acted, finds them by name or by email, and keeps the email of one who is gone", async () => {
    const db = t.handle.db;
    const all = await listAudit(db, {});
    expect(all.rows.map((r) => [r.action, r.actorName, r.actorEmail])).toEqual([
      ["campaign.finish", null, null],
      ["media.upload", null, "left@x.test"],
      ["campaign.create", "王小明", "ming@x.test"],
      ["campaign.approve", "王小明", "ming@x.test"],
    ]);
    expect((await listAudit(db, { actor: "小明" })).rows.map((r) => r.action)).toEqual(["campaign.create", "campaign.approve"]);
    expect((await listAudit(db, { actor: "MING@" })).rows).toHaveLength(2);
    expect((await listAudit(db, { actor: "left" })).rows.map((r) => r.action)).toEqual(["media.upload"]);
    // A % typed is a character, not a wildcard.
    expect((await listAudit(db, { actor: "%" })).rows).toHaveLength(0);
  });

  it("filters a whole group by its prefix or one action exactly", async () => {
    const db = t.handle.db;
    expect((await listAudit(db, { action: "campaign." })).rows).toHaveLength(3);
    expect((await listAudit(db, { action: "campaign.approve" })).rows.map((r) => r.action)).toEqual(["campaign.approve"]);
  });
});
