import { eq, sql } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { queryRows } from "@/db/client";
import { campaignBatches, campaigns, wechatAccounts, type CampaignMessage } from "@/db/schema";
import { sendTarget, type SendTarget } from "@/lib/audiences/audience";
import type { Messenger, SendOutcome } from "./messenger";
import { relaxedCommit, reserveMassSlot, sleepUntil, DEFAULT_PER_MINUTE } from "./rate-limit";
import { clearFailuresInARow, countFailedBatch, endSending, recordAnswer, thisClaim } from "./results";
import { clearedToSend } from "./fingerprint";
import { holdCampaign, holderGone, holdWorkerLock, letGoCampaign, ownLockHeld, workerId } from "./liveness";
import { env } from "@/lib/config/env";

export interface PipelineConfig {
  /** A batch left "submitting" longer than this by a crashed worker is taken again (the last resort). */
  leaseMs: number;
  /** Give up on a batch after this many attempts of retryable failures. */
  maxAttempts: number;
  /** Pause the campaign after this many batches fail in a row. */
  pauseAfterFailures: number;
  /** Backoff for retryable failures: base × 2^(attempt−1), capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** 45066 (same clientmsgid again too fast): how long the batch waits before its next attempt. */
  tooFastWaitMs: number;
  /**
   * Requests of one campaign with WeChat at the same time: the next batch is claimed and waits
   * for its slot while the previous answer is still outstanding, so WeChat's answer time does not
   * eat into the account's rate. Each batch is still claimed by one worker and sent with its own
   * clientmsgid, so nothing is sent twice.
   */
  maxInFlight: number;
  perMinute: (accountId: string) => Promise<number>;
}

export const DEFAULT_PIPELINE: PipelineConfig = {
  leaseMs: env.batchLeaseMs,
  maxAttempts: 10,
  pauseAfterFailures: env.pauseAfterFailures,
  backoffBaseMs: env.backoffBaseMs,
  backoffMaxMs: 5 * 60_000,
  tooFastWaitMs: 61_000,
  maxInFlight: 8,
  perMinute: async () => DEFAULT_PER_MINUTE,
};

/** The account's own limit (60 for WeChat; the sandbox may be raised for benches). */
function accountPerMinute(h: DbHandle): (accountId: string) => Promise<number> {
  const cache = new Map<string, { at: number; n: number }>();
  return async (accountId) => {
    const hit = cache.get(accountId);
    if (hit && Date.now() - hit.at < 10_000) return hit.n;
    const [a] = await h.db.select({ n: wechatAccounts.massPerMinute }).from(wechatAccounts).where(eq(wechatAccounts.id, accountId));
    const n = a?.n ?? DEFAULT_PER_MINUTE;
    cache.set(accountId, { at: Date.now(), n });
    return n;
  };
}

// Liveness (which worker and which campaign's drain is alive) lives in ./liveness.ts; the worker
// and the tests hold and release the lock through these names.
export { holdWorkerLock, releaseWorkerLock } from "./liveness";

function sliceRange(joined: string, first: number, from: number, count: number): string[] {
  const ids = joined.split("\n");
  return ids.slice(from - first, from - first + count);
}

export interface ClaimedBatch {
  id: number;
  campaignId: string;
  accountId: string;
  seq: number;
  kind: "sendall" | "send";
  listFrom: number | null;
  recipientCount: number | null;
  clientMsgId: string;
  attempts: number;
  /** the worker id the claim was made under: the answer is recorded only while the claim stands */
  claimedBy: string;
  /** For `send`: the batch's OpenIDs, read with the claim. */
  openids?: string[];
}

export type DrainResult =
  { kind: "done"; state: "submitted" | "failed" } | { kind: "stopped"; state: string } | { kind: "wait"; untilMs: number } | { kind: "idle" };

/**
 * Takes the next batch to send, exactly one worker at a time: pending and due, or left
 * "submitting" by a worker that died (its liveness lock is free, or at the latest its lease ran out). The claim commits before WeChat is
 * called, so two workers never hold one batch; a crash after the call only means the next claim
 * repeats the same clientmsgid, which WeChat answers with 45065 and the msg_id.
 */
export async function claimNextBatch(h: DbHandle, campaignId: string, leaseMs: number): Promise<ClaimedBatch | null> {
  // On PostgreSQL a batch whose holder's liveness lock is free belongs to a process that died (or
  // lost its database connection): it is taken at once rather than when the lease runs out. On
  // PGlite one process owns the database, and recoverCampaigns releases what a previous run left
  // at start. A process that has lost its own liveness lock claims nothing until it has it again.
  const me = workerId(h);
  // The batch's OpenIDs come back with the claim (one round trip, not two): the list segments that
  // hold its range, joined in order; the range is cut out of them below.
  const rows = await queryRows<Record<string, unknown>>(
    h.db,
    sql`with claimed as (
        update campaign_batches b set state = 'submitting', claimed_at = now(), claimed_by = ${me}, attempts = b.attempts + 1
        where b.id = (
          select id from campaign_batches
          where campaign_id = ${campaignId}
            -- Pause and cancel act between batches: nothing is claimed unless the campaign sends.
            and exists (select 1 from campaigns c where c.id = ${campaignId} and c.state = 'sending')
            and ${relaxedCommit(h)}
            and ${ownLockHeld(h)}
            and ((state = 'pending' and (next_attempt_at is null or next_attempt_at <= now()))
              or (state = 'submitting' and claimed_at < now() - (${leaseMs} || ' milliseconds')::interval)
              or (state = 'submitting' and claimed_by is distinct from ${me} and ${holderGone(h)}))
          order by seq
          limit 1
          for update skip locked)
        returning b.id, b.campaign_id, b.account_id, b.seq, b.kind, b.list_from, b.recipient_count, b.client_msg_id, b.attempts, b.claimed_by)
        select claimed.*, seg.first as seg_first, seg.openids as seg_openids
        from claimed
        left join lateral (
          select min(ch.first) as first, string_agg(ch.openids, E'\n' order by ch.seq) as openids
          from audience_list_chunks ch
          where claimed.kind = 'send'
            and ch.list_id = (select audience_list_id from campaigns where id = claimed.campaign_id)
            and ch.first < claimed.list_from + claimed.recipient_count
            and ch.first + ch.count > claimed.list_from
        ) seg on true`,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: Number(r.id),
    campaignId: String(r.campaign_id),
    accountId: String(r.account_id),
    seq: Number(r.seq),
    kind: r.kind as "sendall" | "send",
    listFrom: r.list_from === null ? null : Number(r.list_from),
    recipientCount: r.recipient_count === null ? null : Number(r.recipient_count),
    clientMsgId: String(r.client_msg_id),
    attempts: Number(r.attempts),
    claimedBy: String(r.claimed_by),
    openids: r.seg_openids == null ? undefined : sliceRange(String(r.seg_openids), Number(r.seg_first), Number(r.list_from), Number(r.recipient_count)),
  };
}

/**
 * On PGlite only this process can hold the data folder: every batch a previous run left
 * "submitting" is free again, to be sent with the same clientmsgid (WeChat answers 45065 if it
 * went out). Called once at start, before any drain.
 */
export async function releaseEarlierRunsClaims(h: DbHandle): Promise<void> {
  await h.db.update(campaignBatches).set({ state: "pending", nextAttemptAt: null }).where(eq(campaignBatches.state, "submitting"));
}

interface CampaignRow {
  id: string;
  accountId: string;
  state: string;
  message: CampaignMessage;
  sendIgnoreReprint: number;
  audienceKind: "all" | "tag" | "list";
  tagId: number | null;
  audienceListId: string | null;
  failuresInARow: number;
}

async function loadCampaign(h: DbHandle, id: string): Promise<CampaignRow | null> {
  const [c] = await h.db
    .select({
      id: campaigns.id,
      accountId: campaigns.accountId,
      state: campaigns.state,
      message: campaigns.message,
      sendIgnoreReprint: campaigns.sendIgnoreReprint,
      audienceKind: campaigns.audienceKind,
      tagId: campaigns.tagId,
      audienceListId: campaigns.audienceListId,
      failuresInARow: campaigns.failuresInARow,
    })
    .from(campaigns)
    .where(eq(campaigns.id, id));
  return c ?? null;
}

async function targetOf(h: DbHandle, c: CampaignRow, b: ClaimedBatch): Promise<SendTarget> {
  return sendTarget(h.db, c, b);
}

function backoffMs(cfg: PipelineConfig, attempts: number, waitMs?: number): number {
  const exp = Math.min(cfg.backoffMaxMs, cfg.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  // Jitter keeps instances that failed together from retrying together.
  return Math.max(waitMs ?? 0, Math.round(exp * (0.75 + Math.random() * 0.5)));
}

/**
 * Records what WeChat answered on the batch row (results.ts); returns whether the batch failed for
 * good, or "lost" when the claim no longer stands (another claim took the batch).
 */
export async function recordOutcome(h: DbHandle, cfg: PipelineConfig, b: ClaimedBatch, o: SendOutcome): Promise<"ok" | "retry" | "failed" | "lost"> {
  return recordAnswer(
    h.db,
    { maxAttempts: cfg.maxAttempts, tooFastWaitMs: cfg.tooFastWaitMs, backoffMs: (attempts, waitMs) => backoffMs(cfg, attempts, waitMs) },
    b,
    o,
    relaxedCommit(h),
  );
}

/** When no batch is left to send: the campaign is submitted (some went out) or failed (none did). */
async function settle(h: DbHandle, campaignId: string): Promise<DrainResult> {
  const [s] = await queryRows<{ open: number; inflight: number; next_at: Date | string | null; submitted: number; failed: number }>(
    h.db,
    sql`select
          count(*) filter (where state = 'pending')::int as open,
          count(*) filter (where state = 'submitting')::int as inflight,
          min(next_attempt_at) filter (where state = 'pending') as next_at,
          count(*) filter (where state = 'submitted')::int as submitted,
          count(*) filter (where state = 'failed')::int as failed
        from campaign_batches where campaign_id = ${campaignId}`,
  );
  if (s.open > 0) return { kind: "wait", untilMs: s.next_at ? new Date(s.next_at).getTime() : Date.now() + 1000 };
  if (s.inflight > 0) return { kind: "wait", untilMs: Date.now() + 5_000 };
  const target = await endSending(h.db, campaignId, { submitted: s.submitted, failed: s.failed });
  return { kind: "done", state: target };
}

/** A claimed batch goes back unsent (pause or cancel while it waited for its slot, worker stopping). */
async function releaseClaim(h: DbHandle, b: ClaimedBatch) {
  await h.db
    .update(campaignBatches)
    .set({
      state: sql`case when (select state from campaigns where id = ${b.campaignId}) = 'cancelled' then 'cancelled' else 'pending' end`,
      attempts: sql`${campaignBatches.attempts} - 1`,
      claimedAt: null,
    })
    .where(thisClaim(b));
}

async function campaignState(h: DbHandle, id: string): Promise<string | null> {
  const [c] = await h.db.select({ state: campaigns.state }).from(campaigns).where(eq(campaigns.id, id));
  return c?.state ?? null;
}

export interface DrainDeps {
  handle: DbHandle;
  messenger: Messenger;
  config?: Partial<PipelineConfig>;
  /** set by the worker on shutdown: stop before the next batch */
  signal?: { stopped: boolean };
  /**
   * After each answer: `own` is the pipeline's work for the batch (claiming it, reading its
   * OpenIDs, recording the answer and the failure count), `wechat` the request's time; the wait
   * for the rate-limit slot is neither.
   */
  onBatch?: (b: ClaimedBatch, o: SendOutcome, ms: { own: number; wechat: number }) => void;
}

/**
 * Sends a campaign's batches at the account's rate until none is left, the campaign is paused or
 * cancelled, or a retry has to wait. Up to `maxInFlight` requests are with WeChat at once: the
 * next batch is claimed and waits for its slot while earlier answers are outstanding. Safe to run
 * in several processes at once: each batch is claimed by one of them.
 */
export async function drainCampaign(deps: DrainDeps, campaignId: string): Promise<DrainResult> {
  const h = deps.handle;
  await holdWorkerLock(h);
  // Held while this drain runs: a campaign that is sending with no drain anywhere is adopted by a
  // live worker (lib/jobs/campaign-jobs.ts), so a drain lost with its process is not waited for.
  await holdCampaign(h, campaignId);
  try {
    return await drainHeld(deps, campaignId);
  } finally {
    await letGoCampaign(h, campaignId);
  }
}

async function drainHeld(deps: DrainDeps, campaignId: string): Promise<DrainResult> {
  const h = deps.handle;
  const cfg = { ...DEFAULT_PIPELINE, perMinute: accountPerMinute(h), ...deps.config };
  // The message and audience cannot change once sending has started (only drafts and scheduled
  // campaigns are editable), so the row is read once; the state is checked by every claim.
  const c = await loadCampaign(h, campaignId);
  if (!c) return { kind: "stopped", state: "missing" };
  if (c.state !== "sending") return { kind: "stopped", state: c.state };
  // Only what was approved, scheduled or started is sent: a row changed since fails, unsent.
  if (!(await clearedToSend(h.db, campaignId, "drain", { ...c, messageType: c.message.type }))) return { kind: "stopped", state: "failed" };
  let failuresKnown = c.failuresInARow;
  const perMinute = await cfg.perMinute(c.accountId);
  // A reserved slot, as a time on this process's clock.
  let slotAt: number | null = null;
  const reserveSlot = async () => {
    const wait = await reserveMassSlot(h, c.accountId, perMinute);
    return performance.now() + wait;
  };
  const inflight = new Set<Promise<void>>();
  let stopped: DrainResult | null = null;
  let failure: unknown = null;

  const sendOne = async (b: ClaimedBatch, target: SendTarget, ownBefore: number) => {
    const t1 = performance.now();
    const outcome = await deps.messenger
      .send({ accountId: c.accountId, message: c.message, sendIgnoreReprint: c.sendIgnoreReprint ? 1 : 0, target, clientMsgId: b.clientMsgId })
      .catch((e: Error): SendOutcome => ({ kind: "retry", errcode: null, message: e.message }));
    const t2 = performance.now();
    const r = await recordOutcome(h, cfg, b, outcome);
    if (r === "failed") {
      const why = outcome.kind === "fail" || outcome.kind === "retry" ? `${outcome.errcode ?? ""} ${outcome.message}`.trim() : "";
      const counted = await countFailedBatch(h.db, campaignId, why, cfg.pauseAfterFailures);
      failuresKnown = counted.n;
      if (counted.paused) stopped ??= { kind: "stopped", state: "paused" };
    } else if (r === "ok" && failuresKnown > 0) {
      failuresKnown = 0;
      await clearFailuresInARow(h.db, campaignId);
    }
    deps.onBatch?.(b, outcome, { own: ownBefore + (performance.now() - t2), wechat: t2 - t1 });
  };

  try {
    while (!stopped && !failure) {
      if (deps.signal?.stopped) {
        stopped = { kind: "stopped", state: "worker-stopping" };
        break;
      }
      if (inflight.size >= cfg.maxInFlight) {
        await Promise.race(inflight);
        continue;
      }
      // The slot first, then the claim: the batch is claimed (and the campaign's state checked)
      // right before it is sent, so a pause or cancel during the wait is honoured and a claimed
      // batch never sits waiting. The following slot is reserved as soon as this one comes, so
      // the time spent claiming and sending does not push the pace back (slots are handed out
      // back to back, see rate-limit.ts): a late iteration is caught up by the next one.
      try {
        if (slotAt === null) slotAt = await reserveSlot();
        await sleepUntil(slotAt, deps.signal);
      } catch {
        stopped = { kind: "stopped", state: "worker-stopping" };
        break;
      }
      const following = reserveSlot();
      following.catch(() => {});
      const t0 = performance.now();
      // At once while the liveness lock is held; after a lost connection, once it is held again
      // (under a new id), or the drain fails and the campaign is adopted when the database is back.
      await holdWorkerLock(h);
      const b = await claimNextBatch(h, campaignId, cfg.leaseMs);
      slotAt = await following;
      if (!b) {
        const state = await campaignState(h, campaignId);
        if (state !== "sending") {
          stopped = { kind: "stopped", state: state ?? "missing" };
          break;
        }
        // Nothing to claim now; the answers still outstanding may put a batch back (retry).
        if (inflight.size === 0) break;
        await Promise.all([...inflight]);
        continue;
      }
      let target: SendTarget;
      try {
        target = await targetOf(h, c, b);
      } catch (e) {
        await releaseClaim(h, b);
        throw e;
      }
      const p: Promise<void> = sendOne(b, target, performance.now() - t0)
        .catch((e) => {
          failure ??= e;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
  } finally {
    await Promise.all([...inflight]);
  }
  if (failure) throw failure;
  if (stopped) return stopped;
  return settle(h, campaignId);
}
