import { and, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { callbackEvents, callbackNonces, callbackRefusalCounts, callbackRefusals, campaignBatches, campaigns } from "@/db/schema";
import type { MassSendJobFinishEvent } from "@/lib/wechat";
import { writeAudit } from "@/lib/audit/write-audit";
import { nextState } from "@/lib/campaigns/state-machine";

export type RefusalReason =
  | "bad-signature"
  | "stale-timestamp"
  | "replayed-nonce"
  | "too-large"
  | "doctype"
  | "malformed"
  | "wrong-appid"
  | "decrypt-failed"
  | "unknown-account"
  | "missing-params";

/** Refused pushes are never events: counted for good, with the last ones kept for admins. */
export async function recordRefusal(db: DbOrTx, accountId: string | null, reason: RefusalReason, remote: string | null, detail: Record<string, unknown> = {}) {
  await db.insert(callbackRefusals).values({ accountId, reason, remote, detail });
  await db
    .insert(callbackRefusalCounts)
    .values({ accountId: accountId ?? "", reason, count: 1 })
    .onConflictDoUpdate({ target: [callbackRefusalCounts.accountId, callbackRefusalCounts.reason], set: { count: sql`${callbackRefusalCounts.count} + 1`, lastAt: sql`now()` } });
  // Keep the table small: the last 1 000 per account are plenty to see what is going on.
  await db.execute(
    sql`delete from callback_refusals where id in (select id from callback_refusals where account_id is not distinct from ${accountId} order by id desc offset 1000)`,
  );
}

export async function refusalStats(db: Db, accountId: string) {
  const [c] = await db
    .select({ n: sql<number>`coalesce(sum(${callbackRefusalCounts.count}), 0)::int` })
    .from(callbackRefusalCounts)
    .where(eq(callbackRefusalCounts.accountId, accountId));
  const last = await db.select().from(callbackRefusals).where(eq(callbackRefusals.accountId, accountId)).orderBy(sql`${callbackRefusals.id} desc`).limit(20);
  return { count: c?.n ?? 0, last };
}

const NONCE_WINDOW_MS = 5 * 60_000;

/**
 * A signed (timestamp, nonce) is accepted for one push only. WeChat's own retries of a push carry
 * the same event, so a nonce seen again with the same event key is a retry (answered, recorded
 * once); with a different event it is a replay and refused.
 */
export async function checkNonce(db: DbOrTx, accountId: string, timestamp: string, nonce: string, eventKey: string): Promise<"fresh" | "retry" | "replay"> {
  const key = `${accountId}:${timestamp}:${nonce}`;
  const inserted = await db.insert(callbackNonces).values({ key, eventKey }).onConflictDoNothing().returning({ key: callbackNonces.key });
  if (inserted.length > 0) return "fresh";
  const [seen] = await db.select({ eventKey: callbackNonces.eventKey }).from(callbackNonces).where(eq(callbackNonces.key, key));
  return seen?.eventKey === eventKey ? "retry" : "replay";
}

/**
 * Nonces older than twice the timestamp window can never be replayed (the timestamp check refuses
 * them first). Called by the callback maintenance ticker; returns how many were removed.
 */
export async function pruneNonces(db: DbOrTx, now = Date.now()): Promise<number> {
  const r = await db.delete(callbackNonces).where(lt(callbackNonces.at, new Date(now - 2 * NONCE_WINDOW_MS))).returning({ key: callbackNonces.key });
  return r.length;
}

export interface PushRecord {
  accountId: string;
  dedupeKey: string;
  msgType: string;
  event: string | null;
  fromUser: string | null;
  createTime: number | null;
  rawXml: string;
  parsed: Record<string, unknown>;
}

/** Inserts the push once; returns its id, or null when it was already recorded (a retry). */
export async function recordPush(db: DbOrTx, p: PushRecord): Promise<number | null> {
  const r = await db
    .insert(callbackEvents)
    .values({ ...p, batchId: null })
    .onConflictDoNothing({ target: [callbackEvents.accountId, callbackEvents.dedupeKey] })
    .returning({ id: callbackEvents.id });
  return r[0]?.id ?? null;
}

export interface RecordOutcome {
  /** fresh: a new nonce; retry: the nonce was seen with this same event; replay: with another event */
  nonce: "fresh" | "retry" | "replay";
  /** the new event's id, or null when nothing was stored (a retry, a duplicate, or a replay) */
  id: number | null;
  /** MASSSENDJOBFINISH: the batch holding this MsgID right now, if any */
  batchId: number | null;
}

/**
 * The hot path of the callback route in one statement (one round trip, one implicit
 * transaction): claim the nonce, insert the event once unless the nonce is a replay, and look up
 * the batch of a MsgID. A replay stores nothing. On PostgreSQL, two instances racing on one nonce
 * serialise on its key; the loser sees neither its insert nor the winner's row in its snapshot and
 * is answered as a retry (the winner records the push).
 */
export async function recordPushOnce(db: DbOrTx, nonceKey: string, p: PushRecord, msgId: string | null): Promise<RecordOutcome> {
  const rows = await queryRows<{ fresh: boolean; prior: string | null; id: string | number | null; batch_id: string | number | null }>(
    db,
    sql`with nonce as (
          insert into callback_nonces (key, event_key) values (${nonceKey}, ${p.dedupeKey})
          on conflict (key) do nothing returning 1
        ), prior as (
          select event_key from callback_nonces where key = ${nonceKey}
        ), ev as (
          insert into callback_events (account_id, dedupe_key, msg_type, event, from_user, create_time, raw_xml, parsed)
          select ${p.accountId}::text, ${p.dedupeKey}::text, ${p.msgType}::text, ${p.event}::text, ${p.fromUser}::text, ${p.createTime}::int, ${p.rawXml}::text, ${JSON.stringify(p.parsed)}::jsonb
          where exists (select 1 from nonce) or exists (select 1 from prior where event_key = ${p.dedupeKey})
          on conflict (account_id, dedupe_key) do nothing
          returning id
        )
        select exists (select 1 from nonce) as fresh, (select event_key from prior) as prior, (select id from ev) as id,
          ${msgId === null ? sql`null::bigint` : sql`(select id from campaign_batches where account_id = ${p.accountId} and msg_id = ${msgId} limit 1)`} as batch_id`,
  );
  const r = rows[0];
  const id = r.id === null ? null : Number(r.id);
  const batchId = r.batch_id === null ? null : Number(r.batch_id);
  if (r.fresh) return { nonce: "fresh", id, batchId };
  if (r.prior === null || r.prior === p.dedupeKey) return { nonce: "retry", id, batchId };
  return { nonce: "replay", id: null, batchId: null };
}

interface Pending {
  nonceKey: string;
  p: PushRecord;
  msgId: string | null;
  resolve: (o: RecordOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for recordPushOnce: pushes that arrive while a write is running are written together
 * by the next one (one statement, one commit, one WAL flush for all of them). An idle route writes
 * at once; a busy one gathers for GATHER_MS and writes in batches. Same semantics as
 * recordPushOnce, including for duplicates inside one batch (a repeated nonce with the same event
 * is a retry, with another event a replay; a repeated event is recorded once).
 */
class RecordBatcher {
  private queue: Pending[] = [];
  private running = 0;
  private lastWriteEnd = -Infinity;
  constructor(
    private db: DbOrTx,
    private maxInFlight = 2,
    private maxBatch = 200,
  ) {}
  push(nonceKey: string, p: PushRecord, msgId: string | null): Promise<RecordOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ nonceKey, p, msgId, resolve, reject });
      if (this.running < this.maxInFlight) void this.drain();
    });
  }
  private async drain() {
    this.running++;
    try {
      while (this.queue.length > 0) {
        if (performance.now() - this.lastWriteEnd < BUSY_MS && this.queue.length < this.maxBatch) await sleep(GATHER_MS);
        const items = this.queue.splice(0, this.maxBatch);
        if (items.length === 0) continue;
        try {
          const out = await recordBatch(this.db, items);
          items.forEach((it, k) => it.resolve(out[k]));
        } catch (e) {
          // One push the database refuses (say, text it cannot store) must not fail the others
          // written with it: each is tried alone, and only the refused one is answered 503.
          if (items.length === 1) items[0].reject(e);
          else
            for (const it of items)
              await recordBatch(this.db, [it]).then(
                ([o]) => it.resolve(o),
                (err) => it.reject(err),
              );
        } finally {
          this.lastWriteEnd = performance.now();
        }
      }
    } finally {
      this.running--;
    }
  }
}
// Group commit's gather: a write that starts within BUSY_MS of the previous one (the route is under
// a burst) first waits GATHER_MS, so the requests already on the sockets reach the queue and the
// statement writes tens of pushes instead of one or two (on PGlite a statement costs ~1.5 ms of
// the one thread whatever its size and ~0.15 ms more per push; measured in bench/callback.ts).
// An idle route never waits: the first push of a quiet moment is written at once.
const BUSY_MS = 20;
const GATHER_MS = 2;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const batchers = new WeakMap<object, RecordBatcher>();

/** recordPushOnce through the database's group-commit batcher (the callback route's hot path). */
export function recordPushBatched(db: DbOrTx, nonceKey: string, p: PushRecord, msgId: string | null): Promise<RecordOutcome> {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new RecordBatcher(db)));
  return b.push(nonceKey, p, msgId);
}

async function recordBatch(db: DbOrTx, items: Omit<Pending, "resolve" | "reject">[]): Promise<RecordOutcome[]> {
  const out: (RecordOutcome | null)[] = items.map(() => null);
  // Duplicates inside the batch are settled here, so the statement sees each nonce and each event once.
  const byNonce = new Map<string, string>();
  const events = new Set<string>();
  const rows: { k: number; first: boolean }[] = [];
  items.forEach((it, k) => {
    const seen = byNonce.get(it.nonceKey);
    if (seen !== undefined) {
      out[k] = seen === it.p.dedupeKey ? { nonce: "retry", id: null, batchId: null } : { nonce: "replay", id: null, batchId: null };
      return;
    }
    byNonce.set(it.nonceKey, it.p.dedupeKey);
    const ek = `${it.p.accountId}\u0000${it.p.dedupeKey}`;
    rows.push({ k, first: !events.has(ek) });
    events.add(ek);
  });
  if (rows.length === 0) return out as RecordOutcome[];
  // The whole batch is one jsonb parameter: PGlite's wire protocol in JavaScript describes and
  // serialises each parameter, and twelve per push cost more than the statement's own work.
  const input = JSON.stringify(
    rows.map(({ k, first }) => {
      const { nonceKey, p, msgId } = items[k];
      return { i: k, nonce_key: nonceKey, event_key: p.dedupeKey, first_event: first, account_id: p.accountId, msg_type: p.msgType, event: p.event, from_user: p.fromUser, create_time: p.createTime, raw_xml: p.rawXml, parsed: p.parsed, msg_id: msgId };
    }),
  );
  const res = await queryRows<{ i: number; fresh: boolean; prior: string | null; id: string | number | null; batch_id: string | number | null }>(
    db,
    sql`with input as (
          select * from jsonb_to_recordset(${input}::jsonb) as x(i int, nonce_key text, event_key text, first_event boolean, account_id text, msg_type text, event text, from_user text, create_time int, raw_xml text, parsed jsonb, msg_id text)
        ),
        nonce as (
          insert into callback_nonces (key, event_key) select nonce_key, event_key from input
          on conflict (key) do nothing returning key
        ), prior as (
          select n.key, n.event_key from callback_nonces n where n.key in (select nonce_key from input)
        ), ev as (
          insert into callback_events (account_id, dedupe_key, msg_type, event, from_user, create_time, raw_xml, parsed)
          select account_id, event_key, msg_type, event, from_user, create_time, raw_xml, parsed from input
          where first_event and (nonce_key in (select key from nonce) or exists (select 1 from prior where prior.key = input.nonce_key and prior.event_key = input.event_key))
          on conflict (account_id, dedupe_key) do nothing
          returning id, account_id, dedupe_key
        )
        select input.i,
          input.nonce_key in (select key from nonce) as fresh,
          (select event_key from prior where prior.key = input.nonce_key) as prior,
          (select ev.id from ev where input.first_event and ev.account_id = input.account_id and ev.dedupe_key = input.event_key) as id,
          case when input.msg_id is null then null
               else (select b.id from campaign_batches b where b.account_id = input.account_id and b.msg_id = input.msg_id limit 1) end as batch_id
        from input`,
  );
  for (const r of res) {
    const k = Number(r.i);
    const id = r.id === null ? null : Number(r.id);
    const batchId = r.batch_id === null ? null : Number(r.batch_id);
    const dedupeKey = items[k].p.dedupeKey;
    out[k] = r.fresh ? { nonce: "fresh", id, batchId } : r.prior === null || r.prior === dedupeKey ? { nonce: "retry", id, batchId } : { nonce: "replay", id: null, batchId: null };
  }
  return out as RecordOutcome[];
}

export interface MassJobFinish {
  msgId: string;
  status: string;
  totalCount: number;
  filterCount: number;
  sentCount: number;
  errorCount: number;
  copyright: Record<string, unknown> | null;
  articleUrls: { idx: number; url: string }[];
}

/** The result fields of a parsed MASSSENDJOBFINISH (as toPush gives it, and as stored in `parsed`). */
export function finishOf(p: Pick<MassSendJobFinishEvent, "MsgID" | "Status" | "TotalCount" | "FilterCount" | "SentCount" | "ErrorCount" | "CopyrightCheckResult" | "ArticleUrlResult">): MassJobFinish {
  return {
    msgId: p.MsgID,
    status: p.Status,
    totalCount: p.TotalCount,
    filterCount: p.FilterCount,
    sentCount: p.SentCount,
    errorCount: p.ErrorCount,
    copyright: (p.CopyrightCheckResult as unknown as Record<string, unknown> | null) ?? null,
    articleUrls: (p.ArticleUrlResult?.ResultList ?? []).map((r) => ({ idx: r.ArticleIdx, url: r.ArticleUrl })),
  };
}

/**
 * MASSSENDJOBFINISH → the batch that got this MsgID: its counts, copyright and article URLs. The
 * campaign's totals are the sum of its batches; when every submitted batch has its result, the
 * campaign is finished. An unknown MsgID (a send from WeChat's own backend, or a push that came
 * before the worker stored msg_id) leaves the event unapplied, to be matched later
 * (applyPendingFinishFor, applyPendingFinishes). Returns the campaign id when one was updated.
 * Inside a transaction it runs in a savepoint.
 */
export async function applyMassJobFinish(db: DbOrTx, accountId: string, eventId: number, e: MassJobFinish): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [b] = await tx
      .select({ id: campaignBatches.id, campaignId: campaignBatches.campaignId })
      .from(campaignBatches)
      .where(and(eq(campaignBatches.accountId, accountId), eq(campaignBatches.msgId, e.msgId)))
      .for("update");
    if (!b) return null;
    await tx.update(callbackEvents).set({ batchId: b.id, appliedAt: new Date(), applyError: null }).where(eq(callbackEvents.id, eventId));
    const sendFailed = e.status !== "send success";
    await tx
      .update(campaignBatches)
      .set({
        resultStatus: e.status,
        totalCount: e.totalCount,
        filterCount: e.filterCount,
        sentCount: e.sentCount,
        errorCount: e.errorCount,
        copyright: e.copyright,
        articleUrls: e.articleUrls,
        resultAt: new Date(),
        wechatStatus: sendFailed ? "SEND_FAIL" : "SEND_SUCCESS",
      })
      .where(eq(campaignBatches.id, b.id));
    await settleCampaignResults(tx, b.campaignId);
    return b.campaignId;
  });
}

/**
 * applyMassJobFinish that never throws: a failure is written on the (already recorded) event and
 * logged, and the maintenance sweep applies it again later. The push is never lost, and WeChat,
 * whose retries would be deduplicated anyway, still gets "success".
 */
export async function applyRecorded(db: DbOrTx, accountId: string, eventId: number, e: MassJobFinish): Promise<{ campaignId: string | null; error: string | null }> {
  try {
    return { campaignId: await applyMassJobFinish(db, accountId, eventId, e), error: null };
  } catch (err) {
    // drizzle wraps the database's error (with the whole query) in `cause`: keep the database's words.
    const root = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    const message = (root instanceof Error ? root.message : String(root)).slice(0, 500);
    console.warn(`[qunfa] applying MASSSENDJOBFINISH ${e.msgId} (event ${eventId}) failed, will retry: ${message}`);
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
    return (await applyRecorded(db, accountId, ev.id, finishOf(ev.parsed as unknown as MassSendJobFinishEvent))).campaignId;
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
    const { campaignId } = await applyRecorded(db, r.account_id, Number(r.id), finishOf(r.parsed as unknown as MassSendJobFinishEvent));
    if (campaignId) n++;
  }
  return n;
}

/** Re-sums a campaign's totals from its batches and finishes it when every result is in. */
export async function settleCampaignResults(tx: DbOrTx, campaignId: string) {
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
  await tx
    .update(campaigns)
    .set({
      totalCount: s.total,
      filterCount: s.filter,
      sentCount: s.sent,
      errorCount: s.error,
      updatedAt: new Date(),
      ...(done ? { state: nextState("submitted", "finish"), finishedAt: new Date() } : {}),
    })
    .where(eq(campaigns.id, campaignId));
  if (done) {
    await writeAudit(tx, { actor: null, accountId: c.accountId, action: "campaign.finish", entityType: "campaign", entityId: campaignId, summary: { total: s.total, filter: s.filter, sent: s.sent, error: s.error } });
  }
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

