import "server-only";
import type PgBoss from "pg-boss";
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { queryRows, type DbHandle } from "@/db/client";
import { campaigns } from "@/db/schema";
import type { CampaignJobs } from "@/lib/campaigns/campaign-service";
import { startScheduled } from "@/lib/campaigns/campaign-service";
import { drainCampaign, holdWorkerLock, releaseEarlierRunsClaims, DEFAULT_PIPELINE, type PipelineConfig } from "@/lib/campaigns/pipeline";
import type { Messenger } from "@/lib/campaigns/messenger";
import { campaignUnattended, holderGone } from "@/lib/campaigns/liveness";
import { ensureQueue, getBoss } from "./boss";
import { env } from "@/lib/config/env";

const Q_DRAIN = "campaign-drain";
const Q_START = "campaign-start";

/**
 * The services' handle on pg-boss. A drain job may be queued more than once for a campaign (on
 * restart, after a wait): draining is safe to run in parallel because every batch is claimed by
 * one worker in the database. No singleton policy is used on purpose: a job left "active" by a
 * killed process would block its campaign's next drain until it expired. Nothing waits for that
 * expiry either: a campaign whose drain is gone is adopted within seconds (see
 * startCampaignWorkers), and the expired job's retry later finds nothing left to send.
 */
export function bossCampaignJobs(boss: PgBoss): CampaignJobs {
  let ready: Promise<void> | null = null;
  const queues = () => (ready ??= ensureQueue(boss, Q_DRAIN, {}).then(() => ensureQueue(boss, Q_START, {})));
  // pg-boss answers null instead of failing when a job is not stored: never lose one silently.
  const must = (id: string | null, what: string) => {
    if (!id) throw new Error(`pg-boss did not queue ${what}`);
  };
  return {
    async drain(campaignId, startAfter) {
      await queues();
      must(await boss.send(Q_DRAIN, { campaignId }, { startAfter, retryLimit: 20, retryDelay: 5, expireInMinutes: 15 }), `the drain of ${campaignId}`);
    },
    async startAt(campaignId, at) {
      await queues();
      must(await boss.send(Q_START, { campaignId }, { startAfter: at, retryLimit: 20, retryDelay: 10 }), `the start of ${campaignId}`);
    },
  };
}

export interface WorkerOptions {
  handle: DbHandle;
  boss: PgBoss;
  messenger: Messenger;
  config?: Partial<PipelineConfig>;
  /** parallel drains in this process (different campaigns) */
  concurrency?: number;
}

/**
 * Starts this process's campaign workers. Any number of processes may run them against one
 * database (the web server from instrumentation.ts, and `npm run worker`).
 */
export async function startCampaignWorkers(o: WorkerOptions): Promise<{ stop(): Promise<void> }> {
  const { boss, handle } = o;
  // This process's liveness lock first: from now on, batches it claims are known to be alive, and
  // batches left "submitting" by processes that died are free to be taken at once.
  await holdWorkerLock(handle);
  await ensureQueue(boss, Q_DRAIN, {});
  await ensureQueue(boss, Q_START, {});
  const jobs = bossCampaignJobs(boss);
  const signal = { stopped: false };
  const ids: string[] = [];

  const concurrency = o.concurrency ?? env.drainConcurrency;
  const draining = new Set<string>();
  /** Drains one campaign here unless this process already does; `wait` and a stop queue the next drain. */
  const drain = async (campaignId: string) => {
    // Another drain of this campaign in this process already sends it; let that one go on.
    if (draining.has(campaignId)) return;
    draining.add(campaignId);
    try {
      const r = await drainCampaign({ handle, messenger: o.messenger, config: o.config, signal }, campaignId);
      if (env.debugJobs) console.log(`[qunfa] drain ${campaignId}: ${JSON.stringify(r)}`);
      if (r.kind === "wait") await jobs.drain(campaignId, new Date(Math.max(r.untilMs, Date.now() + 200)));
      if (r.kind === "stopped" && r.state === "worker-stopping") await jobs.drain(campaignId);
    } catch (e) {
      console.error(`[qunfa] drain of ${campaignId} failed: ${(e as Error).message}`);
      throw e;
    } finally {
      draining.delete(campaignId);
    }
  };
  const drainHandler = async (batch: PgBoss.Job<{ campaignId: string }>[]) => {
    for (const job of batch) await drain(job.data.campaignId);
  };
  for (let i = 0; i < concurrency; i++) {
    ids.push(await boss.work(Q_DRAIN, { batchSize: 1, pollingIntervalSeconds: 0.5 }, drainHandler));
  }
  ids.push(
    await boss.work<{ campaignId: string }>(Q_START, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      const started = await startScheduled(handle.db, jobs, job.data.campaignId);
      if (env.debugJobs) console.log(`[qunfa] start ${job.data.campaignId}: ${started}`);
    }),
  );
  const cfg = { ...DEFAULT_PIPELINE, ...o.config };
  await recoverCampaigns(handle, jobs, cfg);
  // A drain dies with its process, or fails when the database drops under it, and its pg-boss job
  // then stays "active" until it expires: campaigns left sending with no drain anywhere are
  // adopted here within seconds instead, by whichever live process sees them first.
  let adopting = false;
  const adopt = async () => {
    if (adopting || signal.stopped) return;
    adopting = true;
    try {
      // Also takes the liveness lock again after a lost connection, before anything is claimed.
      await holdWorkerLock(handle);
      const room = concurrency - draining.size;
      if (room <= 0) return;
      for (const id of await orphanedCampaigns(handle, cfg.leaseMs, room)) {
        if (signal.stopped || draining.size >= concurrency) break;
        if (env.debugJobs) console.log(`[qunfa] adopting ${id}`);
        drain(id).catch(() => {});
      }
    } catch (e) {
      if (env.debugJobs) console.log(`[qunfa] adoption check failed: ${(e as Error).message}`);
    } finally {
      adopting = false;
    }
  };
  const adoptTimer = setInterval(() => void adopt(), env.adoptIntervalMs);
  adoptTimer.unref();
  return {
    async stop() {
      signal.stopped = true;
      clearInterval(adoptTimer);
      for (const id of ids) await boss.offWork({ id } as never).catch(() => {});
    },
  };
}

/**
 * After a start (or a crash): every campaign still sending gets a drain again, and every scheduled
 * campaign whose time has passed is started. A batch left "submitting" by a process that died is
 * sent again with the same clientmsgid (WeChat answers 45065 if the first one got through): on
 * PGlite only this process can hold the data folder, so such batches are released here; on
 * PostgreSQL the drain's claim takes them at once, because their holder's liveness lock is free.
 */
async function recoverCampaigns(h: DbHandle, jobs: CampaignJobs, _cfg: PipelineConfig) {
  if (h.driver === "pglite") await releaseEarlierRunsClaims(h);
  const sending = await h.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.state, "sending"));
  for (const c of sending) await jobs.drain(c.id);
  const due = await h.db
    .select({ id: campaigns.id, at: campaigns.scheduledAt })
    .from(campaigns)
    .where(and(inArray(campaigns.state, ["scheduled"]), lte(campaigns.scheduledAt, sql`now() + interval '1 day'`)));
  for (const c of due) if (c.at) await jobs.startAt(c.id, c.at);
}

/**
 * Campaigns that are sending but that no process drains (see lib/campaigns/liveness.ts) and that
 * have something to do now: a batch due, a batch whose holder is gone (or whose lease ran out), or
 * no batch left open (the drain died before it settled the campaign). A campaign whose batches all
 * wait for a later retry is left to the drain job queued for that time.
 */
async function orphanedCampaigns(h: DbHandle, leaseMs: number, limit: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    h.db,
    sql`select c.id from campaigns c
        where c.state = 'sending' and ${campaignUnattended(h)}
          and (exists (select 1 from campaign_batches b
                       where b.campaign_id = c.id
                         and ((b.state = 'pending' and (b.next_attempt_at is null or b.next_attempt_at <= now()))
                           or (b.state = 'submitting' and (b.claimed_at < now() - (${leaseMs} || ' milliseconds')::interval or ${holderGone(h)}))))
            or not exists (select 1 from campaign_batches b where b.campaign_id = c.id and b.state in ('pending', 'submitting')))
        order by c.started_at nulls last, c.id
        limit ${limit}`,
  );
  return rows.map((r) => r.id);
}

/** The process's job port for the campaign services (what server actions hand them). */
export async function campaignJobs(): Promise<CampaignJobs> {
  return bossCampaignJobs(await getBoss());
}
