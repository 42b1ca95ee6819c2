import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { eq } from "drizzle-orm";
import { campaignBatches, campaigns, wechatAccounts } from "@/db/schema";
import { describeEachDriver, type Driver, type TestDb } from "@/test/db";
import { campaignWorld, followerIds, listCampaign, mixed, nobody, PUBLISHER, sleep } from "@/test/support/campaign-world";
import { runDueSandboxJobs, sandboxCredentials, setSandboxSettings } from "@/lib/sandbox";
import { createBoss } from "@/lib/jobs/boss";
import { bossCampaignJobs, startCampaignWorkers } from "@/lib/jobs/campaign-jobs";
import { cancelCampaign, type CampaignJobs } from "./campaign-service";
import { WORKER_LOCK_NS, workerId } from "./liveness";
import { claimNextBatch, DEFAULT_PIPELINE, holdWorkerLock, recordOutcome, releaseWorkerLock } from "./pipeline";
import { wechatMessenger } from "./wechat-messenger";

const actor = PUBLISHER;
/** A send whose drain job never gets queued: as when the process that committed it died at once. */
const lostJobs: CampaignJobs = { drain: async () => {}, startAt: async () => {} };

const setup = (driver: Driver, followers: number) => campaignWorld(driver, followers, "recovery-test");

const batchesOf = (t: TestDb, id: string) => t.handle.db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, id)).orderBy(campaignBatches.seq);
const stateOf = async (t: TestDb, id: string) => (await t.handle.db.select({ s: campaigns.state }).from(campaigns).where(eq(campaigns.id, id)))[0].s;

describeEachDriver("campaigns left without a drain are adopted", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  let accountId = "";

  beforeAll(async () => {
    ({ t, server, accountId } = await setup(driver, 100));
    await t.handle.db.update(wechatAccounts).set({ massPerMinute: 6000 }).where(eq(wechatAccounts.id, accountId));
    await setSandboxSettings(t.handle.db, sandboxCredentials()[0].appid, { perMinute: 6000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 0 });
    // Setup only (a migrated database and the sandbox's followers): on a loaded machine it took
    // over a minute. The bounds that matter are inside the tests.
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    if (t) await releaseWorkerLock(t.handle);
    await t?.dispose();
  });

  it("at start, what a previous run left in flight is sent at once; a send whose drain job was lost is picked up within seconds", async () => {
    const fs = await followerIds(t, sandboxCredentials()[0].appid, 20);
    // Left by a process that is gone: a batch "submitting" under its id, its lease far from over,
    // and no drain job.
    const left = await listCampaign(t, accountId, "left", [...fs.slice(0, 5), ...Array.from({ length: 10_000 }, (_, i) => nobody(i))], lostJobs);
    const [first] = await batchesOf(t, left);
    await t.handle.db
      .update(campaignBatches)
      .set({ state: "submitting", claimedBy: "gone-host:1#1", claimedAt: new Date(), attempts: 1 })
      .where(eq(campaignBatches.id, first.id));
    const boss = await createBoss(t.handle);
    const workers = await startCampaignWorkers({ handle: t.handle, boss, messenger: wechatMessenger(t.handle), concurrency: 2 });
    try {
      const t0 = Date.now();
      while ((await stateOf(t, left)) === "sending" && Date.now() - t0 < 15_000) await sleep(100);
      expect(await stateOf(t, left)).toBe("submitted");
      expect(Date.now() - t0).toBeLessThan(10_000);
      const lb = await batchesOf(t, left);
      expect(lb.map((b) => [b.state, !!b.msgId])).toEqual([
        ["submitted", true],
        ["submitted", true],
      ]);
      // Sent again under its clientmsgid: WeChat had never seen it, so it is sent once.
      expect(lb[0].attempts).toBe(2);

      // The send commits, but its drain job is never queued.
      const t1 = Date.now();
      const lost = await listCampaign(t, accountId, "lost", fs.slice(5, 10), lostJobs);
      while ((await stateOf(t, lost)) === "sending" && Date.now() - t1 < 15_000) await sleep(100);
      expect(await stateOf(t, lost)).toBe("submitted");
      expect(Date.now() - t1, "adopted within seconds").toBeLessThan(8_000);
      const [b] = await batchesOf(t, lost);
      expect(b).toMatchObject({ state: "submitted", attempts: 1, errcode: 0 });
    } finally {
      await workers.stop();
      await boss.stop({ graceful: false, wait: true });
    }
  }, 60_000);

  it.runIf(driver === "pg")(
    "a worker whose lock connection drops claims nothing until it holds its lock again, under a new id; the answer to its old claim is not recorded",
    async () => {
      const id = await listCampaign(
        t,
        accountId,
        "dropped",
        Array.from({ length: 10_002 }, (_, i) => nobody(50_000 + i)),
        lostJobs,
      );
      await holdWorkerLock(t.handle);
      const before = workerId(t.handle);
      const old = await claimNextBatch(t.handle, id, 120_000);
      expect(old).toMatchObject({ seq: 1, attempts: 1, claimedBy: before });
      // PostgreSQL ends the session that holds the liveness lock (a dropped connection).
      const r = await t.handle.pool!.query(
        "select pg_terminate_backend(pid) as ok from pg_locks where locktype = 'advisory' and granted and classid = $1::int::oid and objid = hashtext($2)::oid",
        [WORKER_LOCK_NS, before],
      );
      expect(r.rows).toEqual([{ ok: true }]);
      // pg_terminate_backend only signals: wait until the session, and its lock, are gone (the
      // process takes its lock again no sooner than 200 ms after it notices).
      const held = async () =>
        (
          await t.handle.pool!.query(
            "select 1 from pg_locks where locktype = 'advisory' and granted and classid = $1::int::oid and objid = hashtext($2)::oid",
            [WORKER_LOCK_NS, before],
          )
        ).rowCount! > 0;
      while (await held());
      // At once: the second batch is due, but this process is not known alive, so it claims nothing.
      expect(await claimNextBatch(t.handle, id, 120_000)).toBeNull();
      // The lock is taken again in the background, under a new id.
      const t0 = Date.now();
      while (workerId(t.handle) === before && Date.now() - t0 < 8_000) await sleep(20);
      await holdWorkerLock(t.handle);
      // First retry after 200 ms; the bound leaves room for a loaded CI machine.
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(workerId(t.handle)).not.toBe(before);
      // The batch claimed under the old id belongs to nobody now: taken again, same clientmsgid.
      const again = await claimNextBatch(t.handle, id, 120_000);
      expect(again).toMatchObject({ id: old!.id, seq: 1, attempts: 2, clientMsgId: old!.clientMsgId, claimedBy: workerId(t.handle) });
      // The first request's answer comes back late: the batch is no longer its to record.
      expect(await recordOutcome(t.handle, DEFAULT_PIPELINE, old!, { kind: "submitted", msgId: "111" })).toBe("lost");
      expect(await recordOutcome(t.handle, DEFAULT_PIPELINE, again!, { kind: "already-submitted", msgId: "111" })).toBe("ok");
      const [b1] = await batchesOf(t, id);
      expect(b1).toMatchObject({ state: "submitted", msgId: "111", errcode: 45065, attempts: 2, claimedBy: workerId(t.handle) });
      await cancelCampaign(t.handle.db, actor, accountId, id);
    },
    30_000,
  );
});

// Worker processes share work only through PostgreSQL (PGlite belongs to one process), so these
// run on the PostgreSQL pass (TEST_DATABASE_URL, set by .ci/run).
const onPg = !!process.env.TEST_DATABASE_URL;
// 13 requests of 2–10 000 OpenIDs, ~460 of them followers, at 40 a minute: ~20 s of sending.
const N = 120_001;
const F = 6_000;
const APP = "qunfa-recovery-test";

describe.skipIf(!onPg)("sending resumes within seconds after a worker dies or the database drops [pg]", () => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  let accountId = "";
  let appid = "";
  const workers: ChildProcess[] = [];

  /**
   * A worker process, once it has started: its start queues a drain for every campaign already
   * sending, so the campaign is created after both workers are up, and one drain sends it.
   */
  async function startWorker(): Promise<ChildProcess> {
    const w = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
      cwd: process.cwd(),
      // Every connection of the workers carries this name, so the "outage" can cut theirs only.
      env: {
        ...process.env,
        DATABASE_URL: t.url!,
        PGAPPNAME: APP,
        QUNFA_DRAIN_CONCURRENCY: "1",
        QUNFA_STATUS_CHECK_AFTER_S: "3600",
        QUNFA_BACKOFF_BASE_MS: "100",
        NODE_OPTIONS: "",
      },
      stdio: ["ignore", "pipe", process.env.DEBUG_WORKERS ? "inherit" : "ignore"],
    });
    workers.push(w);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the worker did not start")), 60_000);
      w.stdout!.on("data", (d: Buffer) => {
        if (process.env.DEBUG_WORKERS) process.stdout.write(d);
        if (String(d).includes("worker started")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    return w;
  }
  const killAll = async () => {
    for (const w of workers.splice(0)) {
      if (w.exitCode !== null || w.signalCode !== null) continue;
      w.kill("SIGKILL");
      await new Promise((r) => w.once("exit", r));
    }
  };

  beforeAll(async () => {
    ({ t, server, accountId, appid } = await setup("pg", F));
    await t.handle.db.update(wechatAccounts).set({ massPerMinute: 40 }).where(eq(wechatAccounts.id, accountId));
    // 300 ms inside the sandbox per request, so a kill or a cut often lands while WeChat answers.
    await setSandboxSettings(t.handle.db, appid, { perMinute: 100_000, dailyLimit: 100_000, clientMsgIdRetryWindowSec: 0, faults: { latencyMs: 300 } });
  }, 120_000);
  afterAll(async () => {
    await killAll();
    await server?.close();
    await t?.dispose();
  });

  async function campaign(name: string) {
    const fs = await followerIds(t, appid);
    const ids = mixed(fs, N);
    const boss = await createBoss(t.handle);
    try {
      return { id: await listCampaign(t, accountId, name, ids, bossCampaignJobs(boss)), followers: fs.length };
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  }

  async function submitted(id: string) {
    const r = await t.handle.pool!.query<{ n: number }>("select count(*)::int as n from campaign_batches where campaign_id = $1 and state = 'submitted'", [id]);
    return r.rows[0].n;
  }
  async function waitFor(what: string, ms: number, ok: () => Promise<boolean>) {
    const until = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }
  /** Milliseconds from `from` to the first batch submitted after it. */
  async function resumedAfter(id: string, from: number, ms: number) {
    let first: Date | null = null;
    await waitFor("sending to resume", ms, async () => {
      const r = await t.handle.pool!.query<{ at: Date | null }>(
        "select min(submitted_at) as at from campaign_batches where campaign_id = $1 and submitted_at > $2",
        [id, new Date(from)],
      );
      first = r.rows[0].at;
      return first !== null;
    });
    return first!.getTime() - from;
  }
  async function finish(id: string) {
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      await runDueSandboxJobs(t.handle.db);
      if ((await stateOf(t, id)) === "finished") return;
      await sleep(200);
    }
  }
  /** No duplicate, no gap: each clientmsgid made one sandbox job, every batch has a msg_id, every follower got it once. */
  async function expectExactlyOnce(id: string, followers: number) {
    const batches = await batchesOf(t, id);
    expect(batches).toHaveLength(Math.ceil(N / 10_000));
    expect(batches.filter((b) => b.state !== "submitted" || !b.msgId)).toEqual([]);
    const jobs = await t.handle.pool!.query<{ cmid: string; n: number }>(
      "select client_msg_id as cmid, count(*)::int as n from sandbox_jobs where client_msg_id = any($1) group by 1",
      [batches.map((b) => b.clientMsgId)],
    );
    expect(jobs.rows).toHaveLength(batches.length);
    expect(jobs.rows.filter((r) => r.n !== 1)).toEqual([]);
    const d = await t.handle.pool!.query(
      "select count(*)::int as deliveries, count(distinct d.openid)::int as people from sandbox_deliveries d join campaign_batches b on b.msg_id = " +
        "d.msg_id::text and b.campaign_id = $1",
      [id],
    );
    expect(d.rows[0]).toEqual({ deliveries: followers, people: followers });
    const [c] = await t.handle.db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(c).toMatchObject({ state: "finished", sentCount: followers, totalCount: N });
    return batches;
  }

  it("one of two workers is killed mid-send: the other takes over within seconds and the campaign completes", async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const { id, followers } = await campaign("killed");
    await waitFor("three batches sent", 60_000, async () => (await submitted(id)) >= 3);
    // The worker that claimed the latest batch is the one sending.
    const r = await t.handle.pool!.query<{ by: string }>(
      "select claimed_by as by from campaign_batches where campaign_id = $1 and claimed_by is not null order by claimed_at desc limit 1",
      [id],
    );
    const victim = [a, b].find((w) => r.rows[0].by.includes(`:${w.pid}#`))!;
    expect(victim).toBeDefined();
    await sleep(Math.floor(Math.random() * 1_000));
    victim.kill("SIGKILL");
    await new Promise((res) => victim.once("exit", res));
    const killedAt = Date.now();
    const total = Math.ceil(N / 10_000);
    expect(await submitted(id), "killed before the end").toBeLessThan(total);
    const resumeMs = await resumedAfter(id, killedAt, 30_000);
    console.log(`[recovery] sending resumed ${resumeMs} ms after the kill`);
    expect(resumeMs).toBeLessThan(30_000);
    await finish(id);
    await expectExactlyOnce(id, followers);
    await killAll();
  }, 120_000);

  it("the database is cut for 10 s: sending resumes within seconds of its return and the campaign completes", async () => {
    await Promise.all([startWorker(), startWorker()]);
    const { id, followers } = await campaign("outage");
    await waitFor("three batches sent", 60_000, async () => (await submitted(id)) >= 3);
    const dbName = new URL(t.url!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      // No new connection is accepted, and every connection the workers have is ended, for 10 s.
      await admin.query(`alter database ${dbName} allow_connections false`);
      const cutUntil = Date.now() + 10_000;
      let cut = 0;
      while (Date.now() < cutUntil) {
        const k = await admin.query("select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and application_name = $2", [
          dbName,
          APP,
        ]);
        cut += k.rows[0].n;
        await sleep(200);
      }
      expect(cut, "the workers' connections were cut").toBeGreaterThan(0);
    } finally {
      await admin.query(`alter database ${dbName} allow_connections true`);
      await admin.end();
    }
    const back = Date.now();
    const before = await submitted(id);
    expect(before, "cut before the end").toBeLessThan(Math.ceil(N / 10_000));
    const resumeMs = await resumedAfter(id, back, 30_000);
    console.log(`[recovery] sending resumed ${resumeMs} ms after the database returned`);
    expect(resumeMs).toBeLessThan(30_000);
    await finish(id);
    await expectExactlyOnce(id, followers);
    // Both workers are known alive again: each holds a liveness lock.
    const locks = await t.handle.pool!.query(
      "select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.granted and l.classid = " +
        "$1::int::oid and a.application_name = $2",
      [WORKER_LOCK_NS, APP],
    );
    expect(locks.rows[0].n).toBe(2);
    await killAll();
  }, 120_000);
});
