import { and, eq, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { callbackEvents, campaignBatches, campaigns } from "@/db/schema";
import type { MassSendJobFinishEvent } from "@/lib/wechat";
import { writeAudit } from "@/lib/audit/write-audit";
import { jobFailed, jobResultOfPush, type JobResult } from "./job-result";
import type { SendOutcome } from "./messenger";
import type { ClaimedBatch } from "./pipeline";
import { nextState, setCampaignState } from "./state-machine";

/*
 * The one writer of what WeChat said about a campaign's batches and of the campaign's outcome:
 * the sending pipeline's answers (msg_id or errcode), MASSSENDJOBFINISH pushes (handed over by
 * lib/callback, which records them in callback_events), message/mass/get (the status check and the
 * manual refresh) and the campaign's end (submitted, failed, paused, finished). The callback's
 * events are this module's inbox: it marks a MASSSENDJOBFINISH applied (or why not) when it has
 * written the result, so a push that came before its batch knew its msg_id is applied later.
 */

// ── The pipeline's answers ────────────────────────────────────────────────────────────────────

/** The batch is still "submitting" under this very claim (same holder, same attempt). */
export function thisClaim(b: ClaimedBatch): SQL | undefined {
  return and(
    eq(campaignBatches.id, b.id),
    eq(campaignBatches.state, "submitting"),
    eq(campaignBatches.claimedBy, b.claimedBy),
    eq(campaignBatches.attempts, b.attempts),
  );
}

export interface RetryPolicy {
  maxAttempts: number;
  /** 45066 (same clientmsgid again too fast): how long the batch waits before its next attempt */
  tooFastWaitMs: number;
  /** the wait before the next attempt of a retryable failure (backoff with jitter) */
  backoffMs: (attempts: number, waitMs?: number) => number;
}

/**
 * Records what WeChat answered on the batch row; returns whether the batch failed for good, or
 * "lost" when the claim no longer stands (its holder was taken for dead and another claim took
 * the batch): that claim's answer is the one recorded. `relaxed` is the pipeline's commit setting.
 */
export async function recordAnswer(
  db: DbOrTx,
  policy: RetryPolicy,
  b: ClaimedBatch,
  o: SendOutcome,
  relaxed: SQL,
): Promise<"ok" | "retry" | "failed" | "lost"> {
  const mine = and(thisClaim(b), relaxed);
  const stood = (rows: unknown[]) => rows.length > 0;
  switch (o.kind) {
    case "submitted":
    case "already-submitted": {
      const rows = await db
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
        .where(mine)
        .returning({ id: campaignBatches.id });
      if (!stood(rows)) return "lost";
      // A MASSSENDJOBFINISH may have come before this msg_id was stored: apply it now.
      await applyPendingFinishFor(db, b.accountId, o.msgId);
      return "ok";
    }
    case "retry": {
      if (b.attempts >= policy.maxAttempts) {
        const rows = await db
          .update(campaignBatches)
          .set({ state: "failed", errcode: o.errcode, errmsg: o.message })
          .where(mine)
          .returning({ id: campaignBatches.id });
        return stood(rows) ? "failed" : "lost";
      }
      // 45066: WeChat wants a minute between two attempts with one clientmsgid.
      const waitMs = o.errcode === 45066 ? policy.tooFastWaitMs : o.waitMs;
      const rows = await db
        .update(campaignBatches)
        .set({
          // Cancelled while this attempt was out: the batch is not tried again.
          state: sql`case when (select state from campaigns where id = ${b.campaignId}) = 'cancelled' then 'cancelled' else 'pending' end`,
          errcode: o.errcode,
          errmsg: o.message,
          nextAttemptAt: new Date(Date.now() + (o.errcode === 45066 ? waitMs! : policy.backoffMs(b.attempts, waitMs))),
        })
        .where(mine)
        .returning({ id: campaignBatches.id });
      return stood(rows) ? "retry" : "lost";
    }
    case "fail": {
      const rows = await db
        .update(campaignBatches)
        .set({ state: "failed", errcode: o.errcode, errmsg: o.message })
        .where(mine)
        .returning({ id: campaignBatches.id });
      return stood(rows) ? "failed" : "lost";
    }
  }
}

/**
 * Counts a batch that failed for good on the campaign row (so the count survives drain jobs and
 * restarts) and pauses the campaign when the count reaches the limit, saying why.
 */
export async function countFailedBatch(db: Db, campaignId: string, why: string, pauseAfterFailures: number): Promise<{ n: number; paused: boolean }> {
  return db.transaction(async (tx) => {
    const [c] = await tx
      .update(campaigns)
      .set({ failuresInARow: sql`${campaigns.failuresInARow} + 1`, lastError: why, updatedAt: new Date() })
      .where(eq(campaigns.id, campaignId))
      .returning({ n: campaigns.failuresInARow, state: campaigns.state, accountId: campaigns.accountId });
    if (!c || c.n < pauseAfterFailures || c.state !== "sending") return { n: c?.n ?? 0, paused: false };
    const reason = `${c.n}× ${why}`;
    // The count starts again from zero, so a resume gets the full allowance before pausing again.
    await setCampaignState(tx, { id: campaignId, state: c.state }, nextState(c.state, "pause"), {
      pausedReason: reason,
      failuresInARow: 0,
      updatedAt: new Date(),
    });
    await writeAudit(tx, {
      actor: null,
      accountId: c.accountId,
      action: "campaign.auto-pause",
      entityType: "campaign",
      entityId: campaignId,
      summary: { reason, failuresInARow: c.n },
    });
    return { n: 0, paused: true };
  });
}

/** A batch went out: the campaign's count of failures in a row starts again. */
export async function clearFailuresInARow(db: DbOrTx, campaignId: string): Promise<void> {
  await db.update(campaigns).set({ failuresInARow: 0 }).where(eq(campaigns.id, campaignId));
}

/**
 * No batch is left to send: the campaign is submitted (some went out) or failed (none did), unless
 * it no longer sends (paused or cancelled meanwhile).
 */
export async function endSending(db: Db, campaignId: string, counts: { submitted: number; failed: number }): Promise<"submitted" | "failed"> {
  const target = counts.submitted > 0 ? "submitted" : "failed";
  await db.transaction(async (tx) => {
    const [c] = await tx.select({ state: campaigns.state, accountId: campaigns.accountId }).from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
    if (!c || c.state !== "sending") return;
    await setCampaignState(tx, { id: campaignId, state: c.state }, nextState(c.state, target === "submitted" ? "allSubmitted" : "allFailed"), {
      submittedAt: target === "submitted" ? new Date() : null,
      updatedAt: new Date(),
    });
    await writeAudit(tx, {
      actor: null,
      accountId: c.accountId,
      action: target === "submitted" ? "campaign.submitted" : "campaign.failed",
      entityType: "campaign",
      entityId: campaignId,
      summary: counts,
    });
    // Every result may be in already (callbacks that came while later batches were still being
    // sent): then the campaign finishes now, as the callback would have finished it.
    if (target === "submitted") await settleCampaignResults(tx, campaignId);
  });
  return target;
}

// ── Job results: MASSSENDJOBFINISH and message/mass/get ──────────────────────────────────────

/** Writes a job result on its batch row (the caller holds the row) and re-sums the campaign. */
async function writeResult(tx: DbOrTx, b: { id: number; campaignId: string }, r: JobResult) {
  await tx
    .update(campaignBatches)
    .set({
      resultStatus: r.status,
      totalCount: r.totalCount,
      filterCount: r.filterCount,
      sentCount: r.sentCount,
      errorCount: r.errorCount,
      copyright: r.copyright as Record<string, unknown> | null,
      articleUrls: r.articleUrls,
      resultAt: new Date(),
      wechatStatus: jobFailed(r) ? "SEND_FAIL" : "SEND_SUCCESS",
    })
    .where(eq(campaignBatches.id, b.id));
  await settleCampaignResults(tx, b.campaignId);
}

/**
 * A recorded MASSSENDJOBFINISH (callback event `eventId`) → the batch that got this MsgID: its
 * counts, copyright and article URLs. The campaign's totals are the sum of its batches; when every
 * submitted batch has its result, the campaign is finished. An unknown MsgID (a send from WeChat's
 * own backend, or a push that came before the worker stored msg_id) leaves the event unapplied, to
 * be matched later (applyPendingFinishFor, applyPendingFinishes). Returns the campaign id when one
 * was updated. Inside a transaction it runs in a savepoint.
 */
async function applyJobFinish(db: DbOrTx, accountId: string, eventId: number, msgId: string, r: JobResult): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [b] = await tx
      .select({ id: campaignBatches.id, campaignId: campaignBatches.campaignId })
      .from(campaignBatches)
      .where(and(eq(campaignBatches.accountId, accountId), eq(campaignBatches.msgId, msgId)))
      .for("update");
    if (!b) return null;
    await tx.update(callbackEvents).set({ batchId: b.id, appliedAt: new Date(), applyError: null }).where(eq(callbackEvents.id, eventId));
    await writeResult(tx, b, r);
    return b.campaignId;
  });
}

/**
 * applyJobFinish that never throws: a failure is written on the (already recorded) event and
 * logged, and the callback sweep (lib/jobs/callback-sweep.ts) applies it again later. The push is
 * never lost, and WeChat, whose retries would be deduplicated anyway, still gets "success".
 */
export async function applyRecordedFinish(
  db: DbOrTx,
  accountId: string,
  eventId: number,
  msgId: string,
  r: JobResult,
): Promise<{ campaignId: string | null; error: string | null }> {
  try {
    return { campaignId: await applyJobFinish(db, accountId, eventId, msgId, r), error: null };
  } catch (err) {
    // drizzle wraps the database's error (with the whole query) in `cause`: keep the database's words.
    const root = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    const message = (root instanceof Error ? root.message : String(root)).slice(0, 500);
    console.warn(`[qunfa] applying MASSSENDJOBFINISH ${msgId} (event ${eventId}) failed, will retry: ${message}`);
    await db
      .update(callbackEvents)
      .set({ applyError: message })
      .where(eq(callbackEvents.id, eventId))
      .catch(() => {});
    return { campaignId: null, error: message };
  }
}

/**
 * A batch just stored its msg_id: a MASSSENDJOBFINISH for it that arrived first (recorded,
 * unapplied) is applied now. Call after the msg_id is committed. Never throws; returns the
 * campaign id when a result was applied.
 */
export async function applyPendingFinishFor(db: DbOrTx, accountId: string, msgId: string): Promise<string | null> {
  try {
    const [ev] = await db
      .select({ id: callbackEvents.id, parsed: callbackEvents.parsed })
      .from(callbackEvents)
      .where(and(eq(callbackEvents.accountId, accountId), eq(callbackEvents.dedupeKey, `mass:${msgId}`), isNull(callbackEvents.appliedAt)));
    if (!ev) return null;
    return (await applyRecordedFinish(db, accountId, ev.id, msgId, jobResultOfPush(ev.parsed as unknown as MassSendJobFinishEvent))).campaignId;
  } catch (err) {
    console.warn(`[qunfa] looking for an early MASSSENDJOBFINISH ${msgId} failed: ${(err as Error).message}`);
    return null;
  }
}

/**
 * The backstop: every recorded, unapplied MASSSENDJOBFINISH whose MsgID now belongs to a batch
 * (apply failed, or the push beat the worker and the pipeline's own call raced it) is applied.
 * Returns how many were applied.
 */
export async function applyPendingFinishes(db: DbOrTx, limit = 100): Promise<number> {
  const rows = await queryRows<{ id: string | number; account_id: string; parsed: Record<string, unknown> }>(
    db,
    sql`select e.id, e.account_id, e.parsed from callback_events e
        where e.event = 'MASSSENDJOBFINISH' and e.applied_at is null
          and exists (select 1 from campaign_batches b where b.account_id = e.account_id and b.msg_id = substr(e.dedupe_key, 6))
        order by e.id limit ${limit}`,
  );
  let n = 0;
  for (const r of rows) {
    const p = r.parsed as unknown as MassSendJobFinishEvent;
    const { campaignId } = await applyRecordedFinish(db, r.account_id, Number(r.id), p.MsgID, jobResultOfPush(p));
    if (campaignId) n++;
  }
  return n;
}

/**
 * message/mass/get's answer for a batch: WeChat's status (SENDING, SEND_SUCCESS, SEND_FAIL,
 * DELETE) and when it was asked; DELETE also marks the batch deleted.
 */
export async function recordMassStatus(
  db: DbOrTx,
  batch: { id: number; deletedAt: Date | null },
  msgStatus: "SEND_SUCCESS" | "SENDING" | "SEND_FAIL" | "DELETE",
): Promise<void> {
  await db
    .update(campaignBatches)
    .set({ wechatStatus: msgStatus, statusCheckedAt: new Date(), ...(msgStatus === "DELETE" && !batch.deletedAt ? { deletedAt: new Date() } : {}) })
    .where(eq(campaignBatches.id, batch.id));
}

/** A status check that failed: the batch is asked again after the usual pause, not at once. */
export async function markStatusChecked(db: DbOrTx, batchId: number): Promise<void> {
  await db.update(campaignBatches).set({ statusCheckedAt: new Date() }).where(eq(campaignBatches.id, batchId));
}

/**
 * A final status from message/mass/get as the batch's result, unless the batch has one already
 * (the callback got there first: its result, with counts, stands). Built by `build` from the batch
 * row read under its lock. Returns whether it was written.
 */
export async function applyMassGetResult(
  db: Db,
  batchId: number,
  build: (b: { kind: "sendall" | "send"; recipientCount: number | null }) => JobResult | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [b] = await tx
      .select({ id: campaignBatches.id, campaignId: campaignBatches.campaignId, kind: campaignBatches.kind, recipientCount: campaignBatches.recipientCount })
      .from(campaignBatches)
      .where(and(eq(campaignBatches.id, batchId), isNull(campaignBatches.resultAt)))
      .for("update");
    const r = b ? build(b) : null;
    if (!b || !r) return false;
    await writeResult(tx, b, r);
    return true;
  });
}

// ── The campaign's totals and its end ─────────────────────────────────────────────────────────

/** Re-sums a campaign's totals from its batches and finishes it when every result is in. */
async function settleCampaignResults(tx: DbOrTx, campaignId: string) {
  const [s] = await tx
    .select({
      total: sql<number>`coalesce(sum(${campaignBatches.totalCount}), 0)::int`,
      filter: sql<number>`coalesce(sum(${campaignBatches.filterCount}), 0)::int`,
      sent: sql<number>`coalesce(sum(${campaignBatches.sentCount}), 0)::int`,
      error: sql<number>`coalesce(sum(${campaignBatches.errorCount}), 0)::int`,
      waiting: sql<number>`count(*) filter (where ${campaignBatches.state} = 'submitted' and ${campaignBatches.resultAt} is null)::int`,
      open: sql<number>`count(*) filter (where ${campaignBatches.state} in ('pending', 'submitting'))::int`,
    })
    .from(campaignBatches)
    .where(eq(campaignBatches.campaignId, campaignId));
  const [c] = await tx.select({ state: campaigns.state, accountId: campaigns.accountId }).from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
  if (!c) return;
  const done = s.waiting === 0 && s.open === 0 && c.state === "submitted";
  const totals = { totalCount: s.total, filterCount: s.filter, sentCount: s.sent, errorCount: s.error, updatedAt: new Date() };
  if (!done) {
    await tx.update(campaigns).set(totals).where(eq(campaigns.id, campaignId));
    return;
  }
  await setCampaignState(tx, { id: campaignId, state: c.state }, nextState(c.state, "finish"), { ...totals, finishedAt: new Date() });
  await writeAudit(tx, {
    actor: null,
    accountId: c.accountId,
    action: "campaign.finish",
    entityType: "campaign",
    entityId: campaignId,
    summary: { total: s.total, filter: s.filter, sent: s.sent, error: s.error },
  });
}

/**
 * A campaign whose results all came while it was still sending (early pushes applied when msg_id
 * was stored) reaches "submitted" with nothing left to wait for: finish it. Returns how many.
 */
export async function settleCompleteCampaigns(db: Db, limit = 50): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select c.id from campaigns c
        where c.state = 'submitted'
          and not exists (select 1 from campaign_batches b where b.campaign_id = c.id
                          and (b.state in ('pending', 'submitting') or (b.state = 'submitted' and b.result_at is null)))
        limit ${limit}`,
  );
  for (const r of rows) await db.transaction((tx) => settleCampaignResults(tx, r.id));
  return rows.length;
}

/** Batches submitted long ago with no MASSSENDJOBFINISH: their status is asked with message/mass/get. */
export async function batchesAwaitingResult(db: Db, olderThanMs: number) {
  return db
    .select({ id: campaignBatches.id, accountId: campaignBatches.accountId, msgId: campaignBatches.msgId, campaignId: campaignBatches.campaignId })
    .from(campaignBatches)
    .where(
      and(
        eq(campaignBatches.state, "submitted"),
        isNull(campaignBatches.resultAt),
        isNotNull(campaignBatches.msgId),
        lt(campaignBatches.submittedAt, new Date(Date.now() - olderThanMs)),
        sql`(${campaignBatches.statusCheckedAt} is null or ${campaignBatches.statusCheckedAt} < now() - interval '5 minutes')`,
      ),
    )
    .limit(100);
}
