import { afterAll, beforeAll, expect, it } from "vitest";
import { campaigns, user, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { historyFilterSchema } from "./filters";
import { listHistory } from "./history";

describeEachDriver("history list", (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(driver);
    const db = t.handle.db;
    await db.insert(user).values({ id: "u1", name: "Li", email: "li@x.test", role: "publisher" });
    await db.insert(wechatAccounts).values([
      { id: "a1", name: "A", appid: "wx1234567890abcdef", type: "service", appSecretEnc: "x", callbackTokenEnc: "x" },
      { id: "a2", name: "B", appid: "wx1234567890abcdee", type: "service", appSecretEnc: "x", callbackTokenEnc: "x" },
    ]);
    const base = Date.parse("2026-11-01T00:00:00Z");
    await db.insert(campaigns).values(
      Array.from({ length: 120 }, (_, i) => ({
        id: `c${String(i).padStart(4, "0")}`,
        accountId: i % 10 === 0 ? "a2" : "a1",
        name: i % 7 === 0 ? `双十一 ${i}` : `Campaign ${i}`,
        messageType: (i % 3 === 0 ? "text" : "mpnews") as "text" | "mpnews",
        message: { type: "text", content: "x" } as const,
        searchText: i % 5 === 0 ? "秋季新品上市" : "weekly digest",
        audienceKind: "tag" as const,
        tagId: 2,
        tagName: "VIP",
        state: (i % 4 === 0 ? "finished" : "draft") as "finished" | "draft",
        createdBy: "u1",
        // several share one timestamp, so the id must break ties
        createdAt: new Date(base + Math.floor(i / 3) * 60_000),
      })),
    );
  });
  afterAll(async () => t?.dispose());

  it("finds by title and by filter, per account", async () => {
    const byTitle = await listHistory(t.handle.db, ["a1"], historyFilterSchema.parse({ q: "秋季" }), 100);
    expect(byTitle.rows.length).toBeGreaterThan(0);
    expect(byTitle.rows.every((r) => r.accountId === "a1" && r.title === "秋季新品上市")).toBe(true);
    const finishedText = await listHistory(t.handle.db, ["a1"], historyFilterSchema.parse({ state: "finished", type: "text" }), 100);
    expect(finishedText.rows.map((r) => r.id).sort()).toEqual(
      Array.from({ length: 120 }, (_, i) => i)
        .filter((i) => i % 10 !== 0 && i % 4 === 0 && i % 3 === 0)
        .map((i) => `c${String(i).padStart(4, "0")}`)
        .sort(),
    );
    expect(finishedText.rows[0].createdBy).toBe("Li");
  });

  it("pagination is stable under concurrent inserts: no row repeats or goes missing", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let extra = 0;
    for (;;) {
      const page = await listHistory(t.handle.db, ["a1"], historyFilterSchema.parse({ after }), 25);
      seen.push(...page.rows.map((r) => r.id));
      // Someone creates campaigns while we page: newer ones must not shift the pages we have not read.
      await t.handle.db.insert(campaigns).values({
        id: `z${extra++}`,
        accountId: "a1",
        name: "new",
        messageType: "text",
        message: { type: "text", content: "x" },
        audienceKind: "all",
        createdAt: new Date(),
      });
      if (!page.next) break;
      after = page.next;
    }
    const expected = Array.from({ length: 120 }, (_, i) => i).filter((i) => i % 10 !== 0).length;
    expect(seen.length).toBe(expected);
    expect(new Set(seen).size).toBe(expected);
    expect(seen.every((id) => id.startsWith("c"))).toBe(true);
  });
});
