import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { eq, sql } from "drizzle-orm";
import { campaignBatches, campaigns, sandboxFollowers, user, wechatAccounts } from "@/db/schema";
import { createTestDb, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { ensureSandboxAccounts } from "@/lib/boot/sandbox-accounts";
import { runDueSandboxJobs, sandboxCredentials, setSandboxSettings } from "@/lib/sandbox";
import { createBoss } from "@/lib/jobs/boss";
import { bossCampaignJobs } from "@/lib/jobs/campaign-jobs";
import { createAudienceList } from "@/lib/audiences/lists";
import { requestSend, saveCampaign } from "./campaign-service";

// Worker processes share work only through PostgreSQL (PGlite belongs to one process), so these
// run on the PostgreSQL pass (TEST_DATABASE_URL, set by .ci/run).
const pg = !!process.env.TEST_DATABASE_URL;
const N = Number(process.env.CRASH_N || 290_001); // 30 requests of 2–10 000
// Followers spread through the N OpenIDs (the rest are valid OpenIDs of nobody): every batch
// carries ~670 of them, and the sandbox's deliveries stay small enough to keep the test short.
const F = Math.min(N, Number(process.env.CRASH_FOLLOWERS || 20_000));
const nobody = (i: number) => "zz" + i.toString(36).padStart(26, "0");

function startWorker(url: string): ChildProcess {
  // The lease is left at its default (120 s): a batch a killed worker left "submitting" must be
  // taken again at once because its holder's liveness lock is gone, or the test runs out of time.
  return spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: url,
      QUNFA_DRAIN_CONCURRENCY: "1",
      QUNFA_STATUS_CHECK_AFTER_S: "3600",
      QUNFA_BACKOFF_BASE_MS: "100",
      NODE_OPTIONS: "",
    },
    stdio: ["ignore", process.env.DEBUG_WORKERS ? "inherit" : "ignore", process.env.DEBUG_WORKERS ? "inherit" : "ignore"],
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!pg)("sending survives crashes and second instances [pg]", () => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  let accountId = "";
  const appid = sandboxCredentials()[0].appid;
  const actor = { id: "u1", email: "pub@x.test" };
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY = "crash-test";
    t = await createTestDb("pg");
    server = await startTestServer(t.handle.db);
    process.env.QUNFA_INTERNAL_URL = server.url;
    await t.handle.db.insert(user).values({ id: "u1", name: "Pub", email: "pub@x.test", role: "publisher" });
    await ensureSandboxAccounts(t.handle.db, { followers: F });
    const [a] = await t.handle.db.select().from(wechatAccounts).where(eq(wechatAccounts.appid, appid));
    accountId = a.id;
  }, 180_000);
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await server?.close();
    await t?.dispose();
  });

  async function listCampaign(name: string, scheduledAt: Date | null) {
    const fs = (
      await t.handle.db.select({ o: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, appid)).orderBy(sandboxFollowers.seq)
    ).map((r) => r.o);
    const every = Math.floor(N / fs.length);
    const ids: string[] = [];
    for (let i = 0, f = 0; i < N; i++) ids.push(f < fs.length && i % every === 0 ? fs[f++] : nobody(i));
    async function* chunks() {
      for (let i = 0; i < ids.length; i += 20_000) yield ids.slice(i, i + 20_000).join("\n") + "\n";
    }
    const res = await createAudienceList(t.handle.db, actor, accountId, name, chunks());
    if ("error" in res) throw new Error("list");
    expect(res.report.requests).toBe(Math.ceil(N / 10_000));
    const id = await saveCampaign(
      t.handle.db,
      actor,
      accountId,
      null,
      { name, message: { type: "text", content: name }, sendIgnoreReprint: 0, audience: { kind: "list", listId: res.listId } },
      { message: { type: "text", content: name }, searchText: name },
    );
    const boss = await createBoss(t.handle);
    try {
      await requestSend(t.handle.db, bossCampaignJobs(boss), actor, accountId, id, scheduledAt);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    return id;
  }

  async function submitted(id: string) {
    const [r] = await t.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(campaignBatches)
      .where(sql`${campaignBatches.campaignId} = ${id} and ${campaignBatches.state} = 'submitted'`);
    return r.n;
  }

  async function claimedBy(id: string, pid: number) {
    const [r] = await t.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(campaignBatches)
      .where(sql`${campaignBatches.campaignId} = ${id} and ${campaignBatches.claimedBy} like ${"%:" + pid + "#%"}`);
    return r.n > 0;
  }

  async function settle(id: string, timeoutMs: number) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      await runDueSandboxJobs(t.handle.db);
      const [c] = await t.handle.db.select({ state: campaigns.state }).from(campaigns).where(eq(campaigns.id, id));
      if (c.state === "finished") return;
      await sleep(200);
    }
  }

  async function expectExactlyOnce(id: string) {
    const r = (await t.handle.db.execute(sql`
      select count(*)::int as deliveries, count(distinct d.openid)::int as people
      from sandbox_deliveries d join campaign_batches b on b.msg_id = d.msg_id::text and b.campaign_id = ${id}`)) as unknown as {
      rows: { deliveries: number; people: number }[];
    };
    expect(r.rows[0]).toEqual({ deliveries: F, people: F });
    const [c] = await t.handle.db.select().from(campaigns).where(eq(campaigns.id, id));
    // WeChat counts every listed OpenID; only followers are sent to.
    expect(c).toMatchObject({ state: "finished", sentCount: F, filterCount: N, totalCount: N });
  }

  it("a worker killed with SIGKILL ten times mid-send: every follower gets the message exactly once, and the campaign finishes", async () => {
    // 100 requests a minute (one every ~600 ms) and 300 ms inside the sandbox per request: the
    // 30 batches last long enough for ten kills, and a kill often lands while WeChat is answering
    // (the sandbox goes on and accepts the request the dead worker made).
    await t.handle.db.update(wechatAccounts).set({ massPerMinute: 100 }).where(eq(wechatAccounts.id, accountId));
    await setSandboxSettings(t.handle.db, appid, { perMinute: 100_000, dailyLimit: 100_000, clientMsgIdRetryWindowSec: 0, faults: { latencyMs: 300 } });
    const id = await listCampaign("crash", null);
    const total = Math.ceil(N / 10_000);
    let kills = 0;
    const started = Date.now();
    while (kills < 10) {
      expect(await submitted(id), `kill ${kills + 1} comes before the campaign is over`).toBeLessThan(total);
      const w = startWorker(t.url!);
      workers.push(w);
      // Kill at a random moment once this worker has claimed a batch (it is sending).
      const deadline = Date.now() + 30_000;
      while (!(await claimedBy(id, w.pid!)) && Date.now() < deadline) await sleep(20);
      expect(await claimedBy(id, w.pid!), "the worker claimed a batch").toBe(true);
      await sleep(Math.floor(Math.random() * 700));
      w.kill("SIGKILL");
      await new Promise((r) => w.once("exit", r));
      kills++;
    }
    expect(kills).toBe(10);
    const last = startWorker(t.url!);
    workers.push(last);
    await settle(id, 90_000);
    last.kill("SIGKILL");
    await expectExactlyOnce(id);
    const batches = await t.handle.db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, id));
    expect(batches).toHaveLength(total);
    expect(batches.every((b) => b.state === "submitted" && b.msgId)).toBe(true);
    // Some batch really was caught mid-request and resent with its clientmsgid.
    expect(batches.some((b) => b.attempts > 1 || b.errcode === 45065)).toBe(true);
    // Far inside the 120 s lease: orphaned batches were retaken at once.
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 180_000);

  it("two worker processes share the rate limit, never submit a batch twice, and start a scheduled campaign once", async () => {
    await setSandboxSettings(t.handle.db, appid, { perMinute: 240, dailyLimit: 100_000, clientMsgIdRetryWindowSec: 0 });
    await t.handle.db.update(wechatAccounts).set({ massPerMinute: 240 }).where(eq(wechatAccounts.id, accountId));
    const a = startWorker(t.url!);
    const b = startWorker(t.url!);
    workers.push(a, b);
    const id = await listCampaign("twins", new Date(Date.now() + 4_000));
    // Once it has started, a second drain is queued (as a second instance's restart would), so
    // both processes send the same campaign at once.
    for (let i = 0; i < 200; i++) {
      const [c] = await t.handle.db.select({ state: campaigns.state }).from(campaigns).where(eq(campaigns.id, id));
      if (c.state !== "scheduled") break;
      await sleep(50);
    }
    const boss = await createBoss(t.handle);
    await bossCampaignJobs(boss).drain(id);
    await boss.stop({ graceful: false, wait: true });
    await settle(id, 120_000);
    a.kill("SIGKILL");
    b.kill("SIGKILL");
    await expectExactlyOnce(id);
    const batches = await t.handle.db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, id));
    // Never twice: no request was refused as a repeat or for going over the minute's limit.
    expect(batches.filter((x) => x.errcode === 45065 || x.errcode === 45011)).toEqual([]);
    expect(batches.every((x) => x.attempts === 1)).toBe(true);
    expect(new Set(batches.map((x) => x.claimedBy)).size).toBe(2);
    const jobs = (await t.handle.db.execute(sql`select count(*)::int as n from sandbox_jobs where body->>'text' = 'twins'`)) as unknown as {
      rows: { n: number }[];
    };
    expect(jobs.rows[0].n).toBe(Math.ceil(N / 10_000));
    const audits = (await t.handle.db.execute(
      sql`select count(*)::int as n from audit_log where entity_id = ${id} and action = 'campaign.send'`,
    )) as unknown as { rows: { n: number }[] };
    expect(audits.rows[0].n).toBe(1);
  }, 300_000);
});
