import { afterAll, beforeAll, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { campaignBatches, user, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { ensureSandboxAccounts } from "@/lib/boot/sandbox-accounts";
import { sandboxCredentials } from "@/lib/sandbox";
import { createAudienceList } from "@/lib/audiences/lists";
import { requestSend, saveCampaign, type CampaignJobs } from "./campaign-service";
import { estimateCapped, periodStarts } from "./quota";
import type { CampaignFormValues } from "./schemas";

const actor = { id: "u1", email: "pub@x.test" };
const jobs: CampaignJobs = { drain: async () => {}, startAt: async () => {} };
const oid = (i: number) => `o${String(i).padStart(27, "0")}`;
async function* asyncOf(s: string) {
  yield s;
}

describeEachDriver("the 4-a-month estimate from qunfa's own submitted batches", (driver) => {
  let t: TestDb;
  let account = { id: "", timezone: "Asia/Shanghai" };
  const db = () => t.handle.db;
  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY ||= "quota-test";
    t = await createTestDb(driver);
    await db().insert(user).values({ id: "u1", name: "Pub", email: "pub@x.test", role: "publisher" });
    await ensureSandboxAccounts(db(), { followers: 10 });
    const [a] = await db().select().from(wechatAccounts).where(eq(wechatAccounts.appid, sandboxCredentials()[0].appid));
    account = { id: a.id, timezone: a.timezone };
  });
  afterAll(async () => {
    await t?.dispose();
  });

  async function list(name: string, ids: number[]) {
    const r = await createAudienceList(db(), actor, account.id, name, asyncOf(ids.map(oid).join("\n")));
    if ("error" in r) throw new Error("list");
    return r.listId;
  }
  /** A campaign sent and its batches submitted (as the pipeline leaves them) at `at`. */
  async function sent(name: string, audience: CampaignFormValues["audience"], at = new Date()) {
    const id = await saveCampaign(
      db(),
      actor,
      account.id,
      null,
      { name, message: { type: "text", content: name }, sendIgnoreReprint: 0, audience },
      { message: { type: "text", content: name }, searchText: name },
    );
    await requestSend(db(), jobs, actor, account.id, id, null);
    await db()
      .update(campaignBatches)
      .set({ state: "submitted", msgId: sql`'m-' || ${campaignBatches.id}`, submittedAt: at })
      .where(eq(campaignBatches.campaignId, id));
    return id;
  }

  it("counts per OpenID across list batches, plus sends to everyone and to tags, this month only", async () => {
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    const l1 = await list("l1", range(1, 10));
    const l2 = await list("l2", [...range(1, 5), ...range(11, 15)]);
    const l3 = await list("l3", [1, 2, 3, 11, 20]);
    const target = await list("target", [1, 2, 3, 4, 11, 12, 30]);
    await sent("s1", { kind: "list", listId: l1 });
    await sent("s2", { kind: "list", listId: l2 });
    await sent("s3", { kind: "list", listId: l3 });
    await sent("all-1", { kind: "all", confirmName: (await db().select().from(wechatAccounts).where(eq(wechatAccounts.id, account.id)))[0].name });
    await sent("tag-5", { kind: "tag", tagId: 5, tagName: "t5", tagCount: 100 });
    // Last month's sends do not count.
    const lastMonth = new Date(periodStarts(account.timezone).month.getTime() - 86_400_000);
    await sent("old", { kind: "list", listId: target }, lastMonth);

    // Per OpenID of the target list, list sends: o1–o3: 3, o4: 2, o11: 2, o12: 1, o30: 0; plus one to all (certain)
    // and one to tag 5 (its members are unknown: upper bound only).
    const e = await estimateCapped(db(), account, { kind: "list", listId: target, size: 7 });
    expect(e.sends).toEqual({ toAll: 1, sameTag: 0, otherTags: 1, lists: 3 });
    expect(e).toMatchObject({ min: 3, max: 5, allMin: false, allMax: false });

    // Everyone: the same per-OpenID counts over every list OpenID (o5 has 2 too).
    expect(await estimateCapped(db(), account, { kind: "all", size: null })).toMatchObject({ min: 3, max: 6 });
    // Tag 5: the send to it reached all its members; which list OpenIDs are in it is unknown.
    const tag = await estimateCapped(db(), account, { kind: "tag", tagId: 5, size: 100 });
    expect(tag.sends).toEqual({ toAll: 1, sameTag: 1, otherTags: 0, lists: 3 });
    expect(tag).toMatchObject({ min: 0, max: 6 });

    // Two more sends to everyone: one list send makes 4 for certain, and with tag 5 everyone may be at 4.
    const name = (await db().select().from(wechatAccounts).where(eq(wechatAccounts.id, account.id)))[0].name;
    await sent("all-2", { kind: "all", confirmName: name });
    const all3 = await sent("all-3", { kind: "all", confirmName: name });
    expect(await estimateCapped(db(), account, { kind: "list", listId: target, size: 7 })).toMatchObject({ min: 6, max: 7, allMin: false, allMax: true });
    expect(await estimateCapped(db(), account, { kind: "tag", tagId: 5, size: 100 })).toMatchObject({ min: 100, max: 100, allMin: true, allMax: true });
    // The campaign being looked at does not count itself.
    expect((await estimateCapped(db(), account, { kind: "tag", tagId: 5, size: 100, campaignId: all3 })).allMin).toBe(false);
  });

  it("stays fast: 400 000 list recipients (4 sends of 100 000)", async () => {
    const big = Array.from({ length: 100_000 }, (_, i) => 1000 + i);
    const s0 = performance.now();
    for (const n of ["b1", "b2", "b3", "b4"]) await sent(n, { kind: "list", listId: await list(n, big) });
    console.log(`[quota] setup ${Math.round(performance.now() - s0)} ms`);
    const target = await list("bt", big.slice(0, big.length / 2));
    const t0 = performance.now();
    const e = await estimateCapped(db(), account, { kind: "list", listId: target, size: big.length / 2 });
    const ms = performance.now() - t0;
    // four list sends: every target OpenID is at 4 for certain (whatever else was sent).
    expect(e).toMatchObject({ min: big.length / 2, max: big.length / 2 });
    expect(ms).toBeLessThan(10_000);
    console.log(`[quota] estimate over 4 × ${big.length} list recipients (${driver}): ${Math.round(ms)} ms`);
  }, 120_000);
});
