import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { campaignBatches, campaigns, callbackEvents, sandboxDeliveries, sandboxFollowers, user, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { ensureSandboxAccounts, runDueSandboxJobs, sandboxCredentials, setSandboxSettings } from "@/lib/sandbox";
import { createAudienceList } from "./audience-lists";
import { requestSend, saveCampaign, type CampaignJobs } from "./campaign-service";
import { drainCampaign } from "./pipeline";
import { wechatMessenger } from "./wechat-messenger";

const FOLLOWERS = 600;
async function* asyncOf(s: string) {
  yield s;
}
const actor = { id: "u1", email: "pub@x.test" };

describeEachDriver("sending pipeline against the sandbox over HTTP", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  let accountId = "";
  const appid = sandboxCredentials()[0].appid;
  const queued: string[] = [];
  const jobs: CampaignJobs = { drain: async (id) => void queued.push(id), startAt: async () => {} };

  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY = "pipeline-test";
    t = await createTestDb(driver);
    server = await startTestServer(t.handle.db);
    process.env.QUNFA_INTERNAL_URL = server.url;
    await t.handle.db.insert(user).values({ id: "u1", name: "Pub", email: "pub@x.test", role: "publisher" });
    await ensureSandboxAccounts(t.handle.db, { followers: FOLLOWERS });
    const [a] = await t.handle.db.select().from(wechatAccounts).where(eq(wechatAccounts.appid, appid));
    accountId = a.id;
    // Fast retries for the test; WeChat's own 60 s "retry too fast" window shortened to 1 s.
    await setSandboxSettings(t.handle.db, appid, { perMinute: 6000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 1 });
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  async function listCampaign(name: string, openids: string[]) {
    const res = await createAudienceList(t.handle.db, actor, accountId, name, asyncOf(openids.join("\n")));
    if ("error" in res) throw new Error("list");
    const id = await saveCampaign(
      t.handle.db,
      actor,
      accountId,
      null,
      { name, message: { type: "text", content: `hello ${name}` }, sendIgnoreReprint: 0, audience: { kind: "list", listId: res.listId } },
      { message: { type: "text", content: `hello ${name}` }, searchText: `hello ${name}` },
    );
    await requestSend(t.handle.db, jobs, actor, accountId, id, null);
    return id;
  }

  async function followers(n: number) {
    const rows = await t.handle.db.select({ openid: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, appid)).orderBy(sandboxFollowers.seq).limit(n);
    return rows.map((r) => r.openid);
  }

  async function deliveriesPerFollower(campaignId: string) {
    const r = (await t.handle.db.execute(sql`
      select d.openid, count(*)::int as n from sandbox_deliveries d
      join campaign_batches b on b.msg_id = d.msg_id::text and b.campaign_id = ${campaignId}
      group by d.openid`)) as unknown as { rows: { openid: string; n: number }[] };
    return r.rows;
  }

  it("sends every batch once, records msg_ids, and finishes from the callbacks", async () => {
    const ids = await followers(250);
    const campaignId = await listCampaign("happy", ids);
    const [c0] = await t.handle.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(c0.state).toBe("sending");
    expect(queued).toContain(campaignId);
    const batches0 = await t.handle.db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, campaignId));
    expect(batches0).toHaveLength(1);
    expect(batches0[0].clientMsgId).toBe(`qf-${campaignId}-v1-b1`);

    const r = await drainCampaign({ handle: t.handle, messenger: wechatMessenger(t.handle) }, campaignId);
    expect(r).toEqual({ kind: "done", state: "submitted" });
    await new Promise((res) => setTimeout(res, 300));
    expect(await runDueSandboxJobs(t.handle.db)).toBe(1);
    const [c] = await t.handle.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(c).toMatchObject({ state: "finished", totalCount: 250, filterCount: 250, sentCount: 250, errorCount: 0 });
    const per = await deliveriesPerFollower(campaignId);
    expect(per).toHaveLength(250);
    expect(per.every((p) => p.n === 1)).toBe(true);
    const events = await t.handle.db.select().from(callbackEvents).where(eq(callbackEvents.accountId, accountId));
    expect(events.filter((e) => e.event === "MASSSENDJOBFINISH")).toHaveLength(1);
  });

  it("with -1, 5xx, latency and dropped connections at 20%, finishes with no duplicate and no missing delivery", async () => {
    await setSandboxSettings(t.handle.db, appid, {
      perMinute: 6000,
      dailyLimit: 10_000,
      clientMsgIdRetryWindowSec: 1,
      faults: { errorRate: 0.05, http5xxRate: 0.05, dropBeforeRate: 0.05, dropAfterRate: 0.05, latencyMs: 20, seed: 7 },
    });
    try {
      const ids = await followers(FOLLOWERS);
      // Twelve campaigns of 50 followers each: twelve requests meeting the injected faults (the
      // seeded generator makes the same faults happen on every run).
      const made: string[] = [];
      for (let i = 0; i < 12; i++) made.push(await listCampaign(`fault-${i}`, ids.slice(i * 50, i * 50 + 50)));
      for (const id of made) {
        for (let round = 0; round < 40; round++) {
          const r = await drainCampaign({ handle: t.handle, messenger: wechatMessenger(t.handle, { timeoutMs: 2_000 }), config: { backoffBaseMs: 50, backoffMaxMs: 1_200, leaseMs: 5_000 } }, id);
          if (r.kind === "done") break;
          if (r.kind === "wait") await new Promise((res) => setTimeout(res, Math.max(0, r.untilMs - Date.now()) + 20));
        }
      }
      await new Promise((res) => setTimeout(res, 400));
      await runDueSandboxJobs(t.handle.db);
      for (const id of made) {
        const [c] = await t.handle.db.select().from(campaigns).where(eq(campaigns.id, id));
        expect(c.state, id).toBe("finished");
        const per = await deliveriesPerFollower(id);
        expect(per).toHaveLength(50);
        expect(per.every((p) => p.n === 1)).toBe(true);
      }
      const failed = await t.handle.db.select().from(campaignBatches).where(and(eq(campaignBatches.accountId, accountId), eq(campaignBatches.state, "failed")));
      expect(failed).toHaveLength(0);
      // The faults really happened: some requests needed more than one attempt.
      const tried = await t.handle.db.select({ attempts: campaignBatches.attempts }).from(campaignBatches).where(sql`${campaignBatches.campaignId} in ${made}`);
      expect(tried.reduce((n, b) => n + b.attempts, 0)).toBeGreaterThan(made.length);
    } finally {
      await setSandboxSettings(t.handle.db, appid, { perMinute: 6000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 1 });
    }
  }, 120_000);

  it("an error that waiting will not fix fails the batch with its meaning, and pauses the campaign", async () => {
    // A text too long for WeChat is refused with 45002.
    const ids = await followers(10);
    const res = await createAudienceList(t.handle.db, actor, accountId, "long", asyncOf(ids.join("\n")));
    if ("error" in res) throw new Error("list");
    const long = "长".repeat(700);
    const id = await saveCampaign(t.handle.db, actor, accountId, null, { name: "too long", message: { type: "text", content: long }, sendIgnoreReprint: 0, audience: { kind: "list", listId: res.listId } }, { message: { type: "text", content: long }, searchText: "" });
    await requestSend(t.handle.db, jobs, actor, accountId, id, null);
    const r = await drainCampaign({ handle: t.handle, messenger: wechatMessenger(t.handle), config: { pauseAfterFailures: 1 } }, id);
    expect(r).toEqual({ kind: "stopped", state: "paused" });
    const [b] = await t.handle.db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, id));
    expect(b).toMatchObject({ state: "failed", errcode: 45002 });
    const [c] = await t.handle.db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(c.pausedReason).toContain("45002");
    const n = await t.handle.db.$count(sandboxDeliveries);
    expect(n).toBeGreaterThan(0);
  });
});
