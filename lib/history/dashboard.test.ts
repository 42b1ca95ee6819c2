import { afterAll, beforeAll, expect, it } from "vitest";
import { campaigns, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { monthUsage } from "./dashboard";

describeEachDriver("dashboard: this month's sends against the quota", (driver) => {
  let t: TestDb;
  const now = new Date("2026-11-20T04:00:00Z");
  beforeAll(async () => {
    t = await createTestDb(driver);
    await t.handle.db
      .insert(wechatAccounts)
      .values({ id: "a1", name: "A", appid: "wx1234567890abcdef", type: "service", appSecretEnc: "x", callbackTokenEnc: "x" });
    const c = (id: string, at: string, extra: Partial<typeof campaigns.$inferInsert> = {}) => ({
      id,
      accountId: "a1",
      name: id,
      state: "finished" as const,
      messageType: "text" as const,
      message: { type: "text", content: "x" } as const,
      audienceKind: "tag" as const,
      tagId: 2,
      tagName: "VIP",
      startedAt: new Date(at),
      ...extra,
    });
    await t.handle.db.insert(campaigns).values([
      c("vip1", "2026-11-02T01:00:00Z"),
      c("vip2", "2026-11-10T01:00:00Z"),
      c("new", "2026-11-11T01:00:00Z", { tagId: 3, tagName: "新客" }),
      c("all", "2026-11-12T01:00:00Z", { audienceKind: "all", tagId: null, tagName: null }),
      // 31 October 17:00 UTC is already 1 November in Shanghai: this month.
      c("edge", "2026-10-31T17:00:00Z", { tagId: 3, tagName: "新客" }),
      // Last month, a draft and a cancelled one: not counted.
      c("old", "2026-10-20T01:00:00Z"),
      c("draft", "2026-11-15T01:00:00Z", { state: "draft" }),
      c("cancelled", "2026-11-15T01:00:00Z", { state: "cancelled" }),
    ]);
  });
  afterAll(async () => t?.dispose());

  it("counts this month's sends in the account's zone, and the most-sent tag's followers against 4", async () => {
    const u = await monthUsage(t.handle.db, { id: "a1", timezone: "Asia/Shanghai" }, now);
    expect(u.sendsThisMonth).toBe(5);
    expect(u.toAllThisMonth).toBe(1);
    expect(u.busiestTag?.received).toBe(3);
    expect([2, 3]).toContain(u.busiestTag?.tagId);
  });
});
