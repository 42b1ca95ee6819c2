import { afterAll, beforeAll, expect, it } from "vitest";
import { campaigns, user, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { HISTORY_SORTS, historyFilterSchema } from "./filters";
import { historyPeople, listHistory } from "./history";

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
        name: i % 7 === 0 ? `双十一 ${i % 3}` : `Campaign ${i % 9}`,
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
        // …and one start time, one name or one delivered count (or none at all) for the other sorts
        startedAt: i % 4 === 0 ? new Date(base + Math.floor(i / 6) * 3600_000) : null,
        sentCount: i % 4 === 0 ? (i % 5) * 100 : null,
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

  it("admins list every account, narrowed by the account filter, with the account's name on each row", async () => {
    const db = t.handle.db;
    const all = await listHistory(db, null, historyFilterSchema.parse({ q: "秋季" }), 100);
    expect(new Set(all.rows.map((r) => r.accountName))).toEqual(new Set(["A", "B"]));
    const b = await listHistory(db, null, historyFilterSchema.parse({ q: "秋季", account: "a2" }), 100);
    expect(b.rows.length).toBeGreaterThan(0);
    expect(b.rows.every((r) => r.accountId === "a2" && r.accountName === "B")).toBe(true);
    expect(b.rows.length + (await listHistory(db, ["a1"], historyFilterSchema.parse({ q: "秋季" }), 100)).rows.length).toBe(all.rows.length);
    expect(await historyPeople(db)).toEqual([{ id: "u1", name: "Li" }]);
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

  for (const sort of HISTORY_SORTS) {
    it(`sort=${sort}: pages are in order and stable while campaigns are created and sent meanwhile`, async () => {
      const db = t.handle.db;
      const seen: string[] = [];
      const rows: Awaited<ReturnType<typeof listHistory>>["rows"] = [];
      let after: string | undefined;
      let n = 0;
      for (;;) {
        const page = await listHistory(db, ["a1"], historyFilterSchema.parse({ sort, after }), 17);
        rows.push(...page.rows);
        seen.push(...page.rows.map((r) => r.id));
        // Meanwhile someone creates campaigns whose keys land before, among and after the rows read so far.
        const k = n++;
        await db.insert(campaigns).values(
          [0, 1, 2].map((j) => ({
            id: `y-${sort}-${k}-${j}`,
            accountId: "a1",
            name: ["Aardvark", "Campaign 4", "zzz"][j],
            messageType: "text" as const,
            message: { type: "text", content: "x" } as const,
            audienceKind: "all" as const,
            createdAt: new Date(Date.parse("2026-11-01T00:00:00Z") + [-1, 30, 10_000][j] * 60_000),
            startedAt: j === 0 ? null : new Date(Date.parse("2026-11-01T00:00:00Z") + [0, 5, 99][j] * 3600_000),
            sentCount: [null, 200, 99_999][j],
          })),
        );
        if (!page.next) break;
        after = page.next;
      }
      const original = seen.filter((id) => id.startsWith("c"));
      const expected = Array.from({ length: 120 }, (_, i) => i).filter((i) => i % 10 !== 0).length;
      expect(new Set(seen).size).toBe(seen.length);
      expect(original.length).toBe(expected);
      // Each page continues exactly where the last stopped: the walk is the order one query gives
      // (compared in the database, whose collation orders names).
      const whole = await listHistory(db, ["a1"], historyFilterSchema.parse({ sort }), 10_000);
      const seenSet = new Set(seen);
      expect(seen).toEqual(whole.rows.map((r) => r.id).filter((id) => seenSet.has(id)));
      expect(rows.length).toBe(seen.length);
    });
  }
});
