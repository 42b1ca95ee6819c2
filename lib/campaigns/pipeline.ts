import { and, eq, sql } from "drizzle-orm";
import { hostname } from "node:os";
import type { DbHandle } from "@/db/client";
import { queryRows } from "@/db/client";
import { campaignBatches, campaigns, wechatAccounts, type CampaignMessage } from "@/db/schema";
import { writeAudit } from "@/lib/audit/write-audit";
import { readListRange } from "./audience-lists";
import type { Messenger, SendOutcome, SendTarget } from "./messenger";
import { massLimiter, takeMassSlot, DEFAULT_PER_MINUTE } from "./rate-limit";
import { nextState } from "./state-machine";
import { applyPendingFinishFor } from "@/lib/callback/record";

export interface PipelineConfig {
  /** A batch left "submitting" longer than this by a crashed worker is taken again. */
  leaseMs: number;
  /** Give up on a batch after this many attempts of retryable failures. */
  maxAttempts: number;
  /** Pause the campaign after this many batches fail in a row. */
  pauseAfterFailures: number;
  /** Backoff for retryable failures: base × 2^(attempt−1), capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  perMinute: (accountId: string) => Promise<number>;
}

export const DEFAULT_PIPELINE: PipelineConfig = {
  leaseMs: Number(process.env.QUNFA_BATCH_LEASE_MS || 120_000),
  maxAttempts: 10,
  pauseAfterFailures: Number(process.env.QUNFA_PAUSE_AFTER_FAILURES || 3),
  backoffBaseMs: Number(process.env.QUNFA_BACKOFF_BASE_MS || 2_000),
  backoffMaxMs: 5 * 60_000,
  perMinute: async () => DEFAULT_PER_MINUTE,
};

/** The account's own limit (60 for WeChat; the sandbox may be raised for benches). */
export function accountPerMinute(h: DbHandle): (accountId: string) => Promise<number> {
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

const WORKER_ID = `${hostname()}:${process.pid}`;

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
}

export type DrainResult =
  | { kind: "done"; state: "submitted" | "failed" }
  | { kind: "stopped"; state: string }
  | { kind: "wait"; untilMs: number }
  | { kind: "idle" };

/**
 * Takes the next batch to send, exactly one worker at a time: pending and due, or left
 * "submitting" by a worker that died (its lease ran out). The claim commits before WeChat is
 * called, so two workers never hold one batch; a crash after the call only means the next claim
 * repeats the same clientmsgid, which WeChat answers with 45065 and the msg_id.
 */
export async function claimNextBatch(h: DbHandle, campaignId: string, leaseMs: number): Promise<ClaimedBatch | null> {
  const rows = await queryRows<Record<string, unknown>>(
    h.db,
    sql`update campaign_batches b set state = 'submitting', claimed_at = now(), claimed_by = ${WORKER_ID}, attempts = b.attempts + 1
        where b.id = (
          select id from campaign_batches
          where campaign_id = ${campaignId}
            and ((state = 'pending' and (next_attempt_at is null or next_attempt_at <= now()))
              or (state = 'submitting' and claimed_at < now() - (${leaseMs} || ' milliseconds')::interval))
          order by seq
          limit 1
          for update skip locked)
        returning b.id, b.campaign_id, b.account_id, b.seq, b.kind, b.list_from, b.recipient_count, b.client_msg_id, b.attempts`,
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
  };
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
    })
    .from(campaigns)
    .where(eq(campaigns.id, id));
  return c ?? null;
}

async function targetOf(h: DbHandle, c: CampaignRow, b: ClaimedBatch): Promise<SendTarget> {
  if (b.kind === "sendall") return c.audienceKind === "all" ? { kind: "all" } : { kind: "tag", tagId: c.tagId! };
  return { kind: "list", openids: await readListRange(h.db, c.audienceListId!, b.listFrom!, b.recipientCount!) };
}

export function backoffMs(cfg: PipelineConfig, attempts: number, waitMs?: number): number {
  const exp = Math.min(cfg.backoffMaxMs, cfg.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  // Jitter keeps instances that failed together from retrying together.
  return Math.max(waitMs ?? 0, Math.round(exp * (0.75 + Math.random() * 0.5)));
}

/** Records what WeChat answered on the batch row; returns whether the batch failed for good. */
export async function recordOutcome(h: DbHandle, cfg: PipelineConfig, b: ClaimedBatch, o: SendOutcome): Promise<"ok" | "retry" | "failed"> {
  const mine = and(eq(campaignBatches.id, b.id), eq(campaignBatches.state, "submitting"));
  switch (o.kind) {
    case "submitted":
    case "already-submitted":
      await h.db
        .update(campaignBatches)
        .set({
          state: "submitted",
          msgId: o.msgId,
          msgDataId: o.kind === "submitted" ? (o.msgDataId ?? null) : undefined,
          errcode: o.kind === "already-submitted" ? 45065 : 0,
          errmsg: o.kind === "already-submitted" ? "clientmsgid exist" : null,
          submittedAt: new Date(),
          wechatStatus: "SENDING",
        })
        .where(mine);
      // A MASSSENDJOBFINISH may have come before this msg_id was stored: apply it now.
      await applyPendingFinishFor(h.db, b.accountId, o.msgId);
      return "ok";
    case "retry": {
      if (b.attempts >= cfg.maxAttempts) {
        await h.db
          .update(campaignBatches)
          .set({ state: "failed", errcode: o.errcode, errmsg: o.message })
          .where(mine);
        return "failed";
      }
      await h.db
        .update(campaignBatches)
        .set({ state: "pending", errcode: o.errcode, errmsg: o.message, nextAttemptAt: new Date(Date.now() + backoffMs(cfg, b.attempts, o.waitMs)) })
        .where(mine);
      return "retry";
    }
    case "fail":
      await h.db.update(campaignBatches).set({ state: "failed", errcode: o.errcode, errmsg: o.message }).where(mine);
      return "failed";
  }
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
  const target = s.submitted > 0 ? "submitted" : "failed";
  await h.db.transaction(async (tx) => {
    const [c] = await tx.select({ state: campaigns.state, accountId: campaigns.accountId }).from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
    if (!c || c.state !== "sending") return;
    nextState("sending", target === "submitted" ? "allSubmitted" : "allFailed");
    await tx
      .update(campaigns)
      .set({ state: target, submittedAt: target === "submitted" ? new Date() : null, updatedAt: new Date() })
      .where(eq(campaigns.id, campaignId));
    await writeAudit(tx, {
      actor: null,
      accountId: c.accountId,
      action: target === "submitted" ? "campaign.submitted" : "campaign.failed",
      entityType: "campaign",
      entityId: campaignId,
      summary: { submitted: s.submitted, failed: s.failed },
    });
  });
  return { kind: "done", state: target };
}

async function pauseForFailures(h: DbHandle, campaignId: string, reason: string) {
  await h.db.transaction(async (tx) => {
    const [c] = await tx.select({ state: campaigns.state, accountId: campaigns.accountId }).from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
    if (!c || c.state !== "sending") return;
    nextState("sending", "pause");
    await tx.update(campaigns).set({ state: "paused", pausedReason: reason, lastError: reason, updatedAt: new Date() }).where(eq(campaigns.id, campaignId));
    await writeAudit(tx, { actor: null, accountId: c.accountId, action: "campaign.auto-pause", entityType: "campaign", entityId: campaignId, summary: { reason } });
  });
}

export interface DrainDeps {
  handle: DbHandle;
  messenger: Messenger;
  config?: Partial<PipelineConfig>;
  /** set by the worker on shutdown: stop before the next batch */
  signal?: { stopped: boolean };
  onBatch?: (b: ClaimedBatch, o: SendOutcome, ms: { own: number; wechat: number }) => void;
}

/**
 * Sends a campaign's batches one after another at the account's rate until none is left, the
 * campaign is paused or cancelled, or a retry has to wait. Safe to run in several processes at
 * once: each batch is claimed by one of them.
 */
export async function drainCampaign(deps: DrainDeps, campaignId: string): Promise<DrainResult> {
  const h = deps.handle;
  const cfg = { ...DEFAULT_PIPELINE, perMinute: accountPerMinute(h), ...deps.config };
  let failuresInARow = 0;
  for (;;) {
    if (deps.signal?.stopped) return { kind: "stopped", state: "worker-stopping" };
    const t0 = performance.now();
    const c = await loadCampaign(h, campaignId);
    if (!c) return { kind: "stopped", state: "missing" };
    // Pause and cancel act between batches: a batch already with WeChat is not taken back.
    if (c.state !== "sending") return { kind: "stopped", state: c.state };
    const limiter = massLimiter(h, await cfg.perMinute(c.accountId));
    const b = await claimNextBatch(h, campaignId, cfg.leaseMs);
    if (!b) return settle(h, campaignId);
    const target = await targetOf(h, c, b);
    const ownBefore = performance.now() - t0;
    await takeMassSlot(limiter, c.accountId, deps.signal);
    const t1 = performance.now();
    const outcome = await deps.messenger
      .send({ accountId: c.accountId, message: c.message, sendIgnoreReprint: c.sendIgnoreReprint ? 1 : 0, target, clientMsgId: b.clientMsgId })
      .catch((e: Error): SendOutcome => ({ kind: "retry", errcode: null, message: e.message }));
    const t2 = performance.now();
    const r = await recordOutcome(h, cfg, b, outcome);
    deps.onBatch?.(b, outcome, { own: ownBefore + (performance.now() - t2), wechat: t2 - t1 });
    if (r === "failed") {
      failuresInARow++;
      const msg = outcome.kind === "fail" || outcome.kind === "retry" ? `${outcome.errcode ?? ""} ${outcome.message}`.trim() : "";
      await h.db.update(campaigns).set({ lastError: msg, updatedAt: new Date() }).where(eq(campaigns.id, campaignId));
      if (failuresInARow >= cfg.pauseAfterFailures) {
        await pauseForFailures(h, campaignId, msg);
        return { kind: "stopped", state: "paused" };
      }
    } else if (r === "ok") failuresInARow = 0;
  }
}
