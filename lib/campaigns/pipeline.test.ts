import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, campaignBatches, campaigns, callbackEvents, wechatAccounts } from "@/db/schema";
import { describeEachDriver, type TestDb } from "@/test/db";
import { campaignWorld, followerIds, listCampaign as listCampaignOf, mixed, PUBLISHER, sleep } from "@/test/support/campaign-world";
import { runDueSandboxJobs, sandboxCredentials, setSandboxCallback, setSandboxSettings } from "@/lib/sandbox";
import { createBoss } from "@/lib/jobs/boss";
import { startCampaignWorkers } from "@/lib/jobs/campaign-jobs";
import { runStatusChecks } from "./mass-status";
import { createAudienceList } from "@/lib/audiences/lists";
import { cancelCampaign, pauseCampaign, requestSend, resumeCampaign, saveCampaign, type CampaignJobs } from "./campaign-service";
import type { Messenger, SendOutcome } from "./messenger";
import { claimNextBatch, drainCampaign, holdWorkerLock, releaseWorkerLock, type DrainDeps, type DrainResult } from "./pipeline";
import { wechatMessenger } from "./wechat-messenger";

const FOLLOWERS = 3_000;
async function* asyncOf(s: string) {
  yield s;
}
const actor = PUBLISHER;

describeEachDriver("sending pipeline against the sandbox over HTTP", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  let accountId = "";
  const appid = sandboxCredentials()[0].appid;
  const queued: string[] = [];
  const jobs: CampaignJobs = { drain: async (id) => void queued.push(id), startAt: async () => {} };
  const base = { perMinute: 6000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 1 };

  const scaleBefore = process.env.SANDBOX_TIME_SCALE;
  beforeAll(async () => {
    // Sandbox jobs last as long as WeChat's real speed makes them (0.2 s + audience at 800 000 a
    // minute); these tests run them when they choose (runDueSandboxJobs), so they take no time.
    process.env.SANDBOX_TIME_SCALE = "0";
    ({ t, server, accountId } = await campaignWorld(driver, FOLLOWERS, "pipeline-test"));
    // Fast for the tests: 100 requests a second, and WeChat's own 60 s "retry too fast" window
    // shortened to 1 s.
    await t.handle.db.update(wechatAccounts).set({ massPerMinute: 6000 }).where(eq(wechatAccounts.id, accountId));
    await setSandboxSettings(t.handle.db, appid, base);
  });
  afterAll(async () => {
    if (scaleBefore === undefined) delete process.env.SANDBOX_TIME_SCALE;
    else process.env.SANDBOX_TIME_SCALE = scaleBefore;
    await server?.close();
    if (t) await releaseWorkerLock(t.handle);
    await t?.dispose();
  });

  const listCampaign = (name: string, openids: string[], message = { type: "text" as const, content: `hello ${name}` }) =>
    listCampaignOf(t, accountId, name, openids, jobs, message);
  /** Followers from `offset` on: each test takes its own, as WeChat delivers at most 4 a month to one. */
  const followers = (n: number, offset = 0) => followerIds(t, appid, n, offset);

  async function deliveriesPerFollower(campaignId: string) {
    const r = (await t.handle.db.execute(sql`
      select d.openid, count(*)::int as n from sandbox_deliveries d
      join campaign_batches b on b.msg_id = d.msg_id::text and b.campaign_id = ${campaignId}
      group by d.openid`)) as unknown as { rows: { openid: string; n: number }[] };
    return r.rows;
  }

  async function batchesOf(id: string) {
    return t.handle.db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, id)).orderBy(campaignBatches.seq);
  }

  async function campaign(id: string) {
    const [c] = await t.handle.db.select().from(campaigns).where(eq(campaigns.id, id));
    return c;
  }

  /** Drains until done, waiting out retries as the job queue would. */
  async function drainToEnd(deps: Omit<DrainDeps, "handle">, id: string, rounds = 60): Promise<DrainResult> {
    let r: DrainResult = { kind: "idle" };
    for (let i = 0; i < rounds; i++) {
      r = await drainCampaign({ handle: t.handle, ...deps }, id);
      if (r.kind !== "wait") return r;
      await sleep(Math.max(0, r.untilMs - Date.now()) + 20);
    }
    return r;
  }

  it("sends every batch once, records msg_ids, and finishes from the callbacks", async () => {
    const ids = await followers(250);
    const campaignId = await listCampaign("happy", ids);
    const c0 = await campaign(campaignId);
    expect(c0.state).toBe("sending");
    expect(queued).toContain(campaignId);
    const batches0 = await batchesOf(campaignId);
    expect(batches0).toHaveLength(1);
    expect(batches0[0].clientMsgId).toBe(`qf-${campaignId}-v1-b1`);

    const r = await drainCampaign({ handle: t.handle, messenger: wechatMessenger(t.handle) }, campaignId);
    expect(r).toEqual({ kind: "done", state: "submitted" });
    await sleep(300);
    expect(await runDueSandboxJobs(t.handle.db)).toBe(1);
    expect(await campaign(campaignId)).toMatchObject({ state: "finished", totalCount: 250, filterCount: 250, sentCount: 250, errorCount: 0 });
    const per = await deliveriesPerFollower(campaignId);
    expect(per).toHaveLength(250);
    expect(per.every((p) => p.n === 1)).toBe(true);
    const events = await t.handle.db.select().from(callbackEvents).where(eq(callbackEvents.accountId, accountId));
    expect(events.filter((e) => e.event === "MASSSENDJOBFINISH")).toHaveLength(1);
  });

  it("a 30-batch campaign with −1, 5xx, latency and dropped connections (before and after acceptance) at 20 % finishes with no duplicate and no missing delivery", async () => {
    await setSandboxSettings(t.handle.db, appid, {
      ...base,
      faults: { errorRate: 0.05, http5xxRate: 0.05, dropBeforeRate: 0.05, dropAfterRate: 0.05, latencyMs: 20, seed: 7 },
    });
    try {
      const fs = await followers(FOLLOWERS);
      // 290 001 OpenIDs → 30 requests of ~9 667, each carrying ~100 followers.
      const id = await listCampaign("faults", mixed(fs, 290_001, 1));
      expect(await batchesOf(id)).toHaveLength(30);
      const seen: SendOutcome[] = [];
      const r = await drainToEnd(
        {
          messenger: wechatMessenger(t.handle, { timeoutMs: 5_000 }),
          config: { backoffBaseMs: 50, backoffMaxMs: 1_000, tooFastWaitMs: 1_200, leaseMs: 60_000 },
          onBatch: (_b, o) => seen.push(o),
        },
        id,
      );
      expect(r).toEqual({ kind: "done", state: "submitted" });
      await setSandboxSettings(t.handle.db, appid, base);
      await sleep(300);
      await runDueSandboxJobs(t.handle.db);
      const batches = await batchesOf(id);
      expect(batches.every((b) => b.state === "submitted" && b.msgId)).toBe(true);
      expect(new Set(batches.map((b) => b.msgId)).size).toBe(30);
      // Per follower in the audience: exactly one delivery, none missing.
      const per = new Map((await deliveriesPerFollower(id)).map((p) => [p.openid, p.n]));
      expect(per.size).toBe(FOLLOWERS);
      expect(fs.filter((o) => per.get(o) !== 1)).toEqual([]);
      // The sandbox made exactly one job per batch, whatever was retried.
      const [jobsN] = (
        (await t.handle.db.execute(sql`select count(*)::int as n from sandbox_jobs where body->>'text' = 'hello faults'`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows;
      expect(jobsN.n).toBe(30);
      expect(await campaign(id)).toMatchObject({ state: "finished", sentCount: FOLLOWERS });
      // The faults really happened: several attempts were answered with a retryable failure.
      expect(seen.filter((o) => o.kind === "retry").length).toBeGreaterThan(2);
      // Of several kinds: −1, a 5xx, a dropped connection, an answer lost after WeChat accepted (the
      // retry was answered 45065 with the msg_id). With up to 8 requests in flight the order in
      // which the seeded faults meet requests varies, so one kind can be missing from a run (each
      // kind alone is tested in lib/sandbox/sandbox.test.ts); at least two must have happened.
      const retries = seen.flatMap((o) => (o.kind === "retry" ? [o] : []));
      const kinds = [
        retries.some((o) => o.errcode === -1),
        retries.some((o) => /HTTP 5\d\d/.test(o.message)),
        retries.some((o) => o.errcode === null && !/HTTP/.test(o.message)),
        seen.some((o) => o.kind === "already-submitted"),
      ].filter(Boolean).length;
      expect(kinds).toBeGreaterThanOrEqual(2);
    } finally {
      await setSandboxSettings(t.handle.db, appid, base);
    }
  }, 240_000);

  it("pause stops before the next batch, resume continues, cancel marks the rest cancelled and keeps what was submitted", async () => {
    const fs = await followers(40, 250);
    // 600 a minute: a batch every 100 ms, so the pause lands while the first answer is awaited.
    await t.handle.db.update(wechatAccounts).set({ massPerMinute: 600 }).where(eq(wechatAccounts.id, accountId));
    try {
      const inner = wechatMessenger(t.handle);
      const pausingOnFirst = (act: (id: string) => Promise<unknown>, id: () => string): Messenger => {
        let first = true;
        return {
          async send(req) {
            if (first) {
              first = false;
              await act(id());
            }
            return inner.send(req);
          },
        };
      };
      let pid = "";
      pid = await listCampaign("pausing", mixed(fs.slice(0, 20), 40_001, 2));
      expect(await batchesOf(pid)).toHaveLength(5);
      const r1 = await drainCampaign(
        {
          handle: t.handle,
          messenger: pausingOnFirst(
            (id) => pauseCampaign(t.handle.db, actor, accountId, id),
            () => pid,
          ),
        },
        pid,
      );
      expect(r1).toEqual({ kind: "stopped", state: "paused" });
      let b = await batchesOf(pid);
      // The batch already with WeChat went through; none after it was claimed.
      expect(b.map((x) => x.state)).toEqual(["submitted", "pending", "pending", "pending", "pending"]);
      expect(b.slice(1).every((x) => x.attempts === 0)).toBe(true);
      // A drain while paused sends nothing.
      expect(await drainCampaign({ handle: t.handle, messenger: inner }, pid)).toEqual({ kind: "stopped", state: "paused" });
      await resumeCampaign(t.handle.db, jobs, actor, accountId, pid);
      expect(queued.at(-1)).toBe(pid);
      expect(await drainCampaign({ handle: t.handle, messenger: inner }, pid)).toEqual({ kind: "done", state: "submitted" });
      b = await batchesOf(pid);
      expect(b.every((x) => x.state === "submitted" && x.attempts === 1)).toBe(true);

      let cid = "";
      cid = await listCampaign("cancelling", mixed(fs.slice(20, 40), 40_001, 3));
      const r2 = await drainCampaign(
        {
          handle: t.handle,
          messenger: pausingOnFirst(
            (id) => cancelCampaign(t.handle.db, actor, accountId, id),
            () => cid,
          ),
        },
        cid,
      );
      expect(r2).toEqual({ kind: "stopped", state: "cancelled" });
      b = await batchesOf(cid);
      expect(b.map((x) => x.state)).toEqual(["submitted", "cancelled", "cancelled", "cancelled", "cancelled"]);
      expect(await drainCampaign({ handle: t.handle, messenger: inner }, cid)).toEqual({ kind: "stopped", state: "cancelled" });
      await sleep(300);
      await runDueSandboxJobs(t.handle.db);
      // The submitted batch really reached its followers; the cancelled ones reached nobody.
      const per = await deliveriesPerFollower(cid);
      expect(per.length).toBeGreaterThan(0);
      expect(per.length).toBeLessThan(20);
      expect((await campaign(cid)).state).toBe("cancelled");
    } finally {
      await t.handle.db.update(wechatAccounts).set({ massPerMinute: 6000 }).where(eq(wechatAccounts.id, accountId));
    }
  }, 60_000);

  it("45066 (same clientmsgid too fast): the batch waits the configured minute, then is submitted once", async () => {
    const fs = await followers(10, 300);
    const id = await listCampaign("toofast", fs);
    // The first request is accepted and its answer lost; the quick retry meets 45066.
    await setSandboxSettings(t.handle.db, appid, { ...base, clientMsgIdRetryWindowSec: 2, faults: { dropAfterRate: 1 } });
    const inner = wechatMessenger(t.handle);
    const calls: { at: number; o: SendOutcome }[] = [];
    const messenger: Messenger = {
      async send(req) {
        const o = await inner.send(req);
        calls.push({ at: Date.now(), o });
        if (calls.length === 1) await setSandboxSettings(t.handle.db, appid, { ...base, clientMsgIdRetryWindowSec: 2 });
        if (calls.length === 2) {
          // WeChat finishes the job the lost answer belonged to: its MASSSENDJOBFINISH arrives
          // while the batch does not know its msg_id yet, and is kept with no batch.
          await sleep(300);
          expect(await runDueSandboxJobs(t.handle.db)).toBe(1);
        }
        return o;
      },
    };
    const wait = 2_500;
    const r = await drainToEnd({ messenger, config: { backoffBaseMs: 50, backoffMaxMs: 100, tooFastWaitMs: wait } }, id);
    expect(r).toEqual({ kind: "done", state: "submitted" });
    expect(calls.map((c) => (c.o.kind === "retry" ? c.o.errcode : c.o.kind))).toEqual([null, 45066, "already-submitted"]);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(wait - 50);
    const [b] = await batchesOf(id);
    expect(b).toMatchObject({ state: "submitted", errcode: 45065, attempts: 3 });
    // 45065 named the msg_id: the early MASSSENDJOBFINISH became the batch's result at once.
    expect(b.resultAt).not.toBeNull();
    expect(await campaign(id)).toMatchObject({ state: "finished", sentCount: 10 });
    const [ev] = await t.handle.db
      .select()
      .from(callbackEvents)
      .where(and(eq(callbackEvents.event, "MASSSENDJOBFINISH"), sql`${callbackEvents.parsed}->>'MsgID' = ${b.msgId}`));
    expect(ev.batchId).toBe(b.id);
    const per = await deliveriesPerFollower(id);
    expect(per).toHaveLength(10);
    expect(per.every((p) => p.n === 1)).toBe(true);
  }, 30_000);

  it("counts batches that fail in a row on the campaign, across drains, and pauses saying why", async () => {
    const fs = await followers(4, 600);
    // A text too long for WeChat is refused with 45002, a failure that waiting will not fix.
    const long = "长".repeat(700);
    const id = await listCampaign("too long", mixed(fs, 40_001, 4), { type: "text", content: long });
    const signal = { stopped: false };
    let n = 0;
    const first = await drainCampaign(
      {
        handle: t.handle,
        messenger: wechatMessenger(t.handle),
        signal,
        config: { maxInFlight: 1 },
        onBatch: () => void (++n === 2 && (signal.stopped = true)),
      },
      id,
    );
    expect(first).toEqual({ kind: "stopped", state: "worker-stopping" });
    expect(await campaign(id)).toMatchObject({ state: "sending", failuresInARow: 2 });
    // Another drain (a restart) carries on counting from the row: one more failure pauses.
    const second = await drainCampaign({ handle: t.handle, messenger: wechatMessenger(t.handle), config: { maxInFlight: 1, pauseAfterFailures: 3 } }, id);
    expect(second).toEqual({ kind: "stopped", state: "paused" });
    const b = await batchesOf(id);
    expect(b.map((x) => x.state)).toEqual(["failed", "failed", "failed", "pending", "pending"]);
    expect(b[0]).toMatchObject({ errcode: 45002 });
    const c = await campaign(id);
    expect(c.pausedReason).toContain("3×");
    expect(c.pausedReason).toContain("45002");
    expect(c.failuresInARow).toBe(0);
    const audits = await t.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, "campaign.auto-pause")));
    expect(audits).toHaveLength(1);
  });

  it("with no MASSSENDJOBFINISH, message/mass/get's final status becomes the batch's result and finishes the campaign", async () => {
    const fs = await followers(30, 400);
    // The callbacks go nowhere: nothing listens on port 9.
    await setSandboxCallback(t.handle.db, appid, { url: "http://127.0.0.1:9/cb" });
    try {
      const id = await listCampaign("nocallback", mixed(fs, 10_002, 5));
      expect(await drainCampaign({ handle: t.handle, messenger: wechatMessenger(t.handle) }, id)).toEqual({ kind: "done", state: "submitted" });
      await sleep(300);
      await runDueSandboxJobs(t.handle.db);
      expect((await campaign(id)).state).toBe("submitted");
      // Not yet due: nothing is asked.
      expect(await runStatusChecks(t.handle, 60_000)).toBe(0);
      expect(await runStatusChecks(t.handle, 0)).toBe(2);
      const b = await batchesOf(id);
      expect(b.map((x) => [x.wechatStatus, x.resultStatus, x.totalCount])).toEqual([
        ["SEND_SUCCESS", "send success", 5_001],
        ["SEND_SUCCESS", "send success", 5_001],
      ]);
      expect(b.every((x) => x.resultAt)).toBe(true);
      expect(await campaign(id)).toMatchObject({ state: "finished", totalCount: 10_002 });
      // Asked once: a finished batch is not asked again.
      expect(await runStatusChecks(t.handle, 0)).toBe(0);
    } finally {
      await setSandboxCallback(t.handle.db, appid, { url: `${server.url}/api/wechat/callback/${accountId}` });
    }
  }, 30_000);

  it.runIf(driver === "pg")("a batch left submitting by a dead process is taken again at once; one held by a live process waits for its lease", async () => {
    const fs = await followers(4, 700);
    const id = await listCampaign("orphans", mixed(fs, 10_002, 6));
    const [b1, b2] = await batchesOf(id);
    // Another live worker: a session holding the liveness lock of "alive:1".
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      await other.query("select pg_advisory_lock($1::int, hashtext($2))", [0x716631, "alive:1"]);
      await t.handle.db
        .update(campaignBatches)
        .set({ state: "submitting", claimedAt: new Date(), claimedBy: "alive:1", attempts: 1 })
        .where(eq(campaignBatches.id, b1.id));
      await t.handle.db
        .update(campaignBatches)
        .set({ state: "submitting", claimedAt: new Date(), claimedBy: "dead:2", attempts: 1 })
        .where(eq(campaignBatches.id, b2.id));
      await holdWorkerLock(t.handle);
      const taken = await claimNextBatch(t.handle, id, 120_000);
      expect(taken).toMatchObject({ id: b2.id, attempts: 2, clientMsgId: b2.clientMsgId });
      expect(await claimNextBatch(t.handle, id, 120_000)).toBeNull();
      // The live one's process dies: its batch is free at once, with the same clientmsgid.
      await other.end();
      const again = await claimNextBatch(t.handle, id, 120_000);
      expect(again).toMatchObject({ id: b1.id, attempts: 2, clientMsgId: b1.clientMsgId });
      await cancelCampaign(t.handle.db, actor, accountId, id);
    } finally {
      await other.end().catch(() => {});
    }
  });

  it("a scheduled campaign whose time passed while no process was running starts when the workers start", async () => {
    const fs = await followers(6, 500);
    const res = await createAudienceList(t.handle.db, actor, accountId, "late", asyncOf(fs.join("\n")));
    if ("error" in res) throw new Error("list");
    const message = { type: "text" as const, content: "late" };
    const id = await saveCampaign(
      t.handle.db,
      actor,
      accountId,
      null,
      { name: "late", message, sendIgnoreReprint: 0, audience: { kind: "list", listId: res.listId } },
      { message, searchText: "late" },
    );
    // Scheduled, but the job that would have started it is gone with the process that was down.
    await requestSend(t.handle.db, { drain: async () => {}, startAt: async () => {} }, actor, accountId, id, new Date(Date.now() + 300));
    expect((await campaign(id)).state).toBe("scheduled");
    await sleep(600);
    const boss = await createBoss(t.handle);
    const workers = await startCampaignWorkers({ handle: t.handle, boss, messenger: wechatMessenger(t.handle), concurrency: 1 });
    try {
      for (let i = 0; i < 150 && (await campaign(id)).state !== "submitted"; i++) await sleep(100);
      expect((await campaign(id)).state).toBe("submitted");
      const b = await batchesOf(id);
      expect(b).toHaveLength(1);
      expect(b[0]).toMatchObject({ state: "submitted", attempts: 1 });
      const starts = await t.handle.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, id), eq(auditLog.action, "campaign.send")));
      expect(starts.length).toBeLessThanOrEqual(1);
    } finally {
      await workers.stop();
      await boss.stop({ graceful: false, wait: true });
    }
  }, 30_000);
});
