import { lt, sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { callbackNonces, callbackRefusalCounts, callbackRefusals } from "@/db/schema";

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
    .onConflictDoUpdate({
      target: [callbackRefusalCounts.accountId, callbackRefusalCounts.reason],
      set: { count: sql`${callbackRefusalCounts.count} + 1`, lastAt: sql`now()` },
    });
  // Keep the table small: the last 1 000 per account are plenty to see what is going on.
  await db.execute(
    sql`delete from callback_refusals where id in (
          select id from callback_refusals where account_id is not distinct from ${accountId} order by id desc offset 1000)`,
  );
}

const NONCE_WINDOW_MS = 5 * 60_000;

/**
 * Nonces older than twice the timestamp window can never be replayed (the timestamp check refuses
 * them first). Called by the callback's scheduled maintenance; returns how many were removed.
 */
export async function pruneNonces(db: DbOrTx, now = Date.now()): Promise<number> {
  const r = await db
    .delete(callbackNonces)
    .where(lt(callbackNonces.at, new Date(now - 2 * NONCE_WINDOW_MS)))
    .returning({ key: callbackNonces.key });
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

export interface RecordOutcome {
  /** fresh: a new nonce; retry: the nonce was seen with this same event; replay: with another event */
  nonce: "fresh" | "retry" | "replay";
  /** the new event's id, or null when nothing was stored (a retry, a duplicate, or a replay) */
  id: number | null;
  /** MASSSENDJOBFINISH: the batch holding this MsgID right now, if any */
  batchId: number | null;
}

interface Pending {
  nonceKey: string;
  p: PushRecord;
  msgId: string | null;
  resolve: (o: RecordOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * The hot path of the callback route: claim the nonce, insert the event once unless the nonce is a
 * replay, and look up the batch of a MsgID, in one statement (one round trip, one implicit
 * transaction). A replay stores nothing. On PostgreSQL, two instances racing on one nonce
 * serialise on its key; the loser sees neither its insert nor the winner's row in its snapshot and
 * is answered as a retry (the winner records the push).
 *
 * Group commit: pushes that arrive while a write is running are written together by the next one
 * (one statement, one commit, one WAL flush for all of them). An idle route writes at once; a busy
 * one gathers for GATHER_MS and writes in batches. Duplicates inside one batch are settled the same
 * way (a repeated nonce with the same event is a retry, with another event a replay; a repeated
 * event is recorded once).
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

/** Records a push through the database's group-commit batcher (the callback route's hot path). */
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
      return {
        i: k,
        nonce_key: nonceKey,
        event_key: p.dedupeKey,
        first_event: first,
        account_id: p.accountId,
        msg_type: p.msgType,
        event: p.event,
        from_user: p.fromUser,
        create_time: p.createTime,
        raw_xml: p.rawXml,
        parsed: p.parsed,
        msg_id: msgId,
      };
    }),
  );
  const res = await queryRows<{ i: number; fresh: boolean; prior: string | null; id: string | number | null; batch_id: string | number | null }>(
    db,
    sql`with input as (
          select * from jsonb_to_recordset(${input}::jsonb) as x(i int, nonce_key text, event_key text, first_event boolean, account_id text,
            msg_type text, event text, from_user text, create_time int, raw_xml text, parsed jsonb, msg_id text)
        ),
        nonce as (
          insert into callback_nonces (key, event_key) select nonce_key, event_key from input
          on conflict (key) do nothing returning key
        ), prior as (
          select n.key, n.event_key from callback_nonces n where n.key in (select nonce_key from input)
        ), ev as (
          insert into callback_events (account_id, dedupe_key, msg_type, event, from_user, create_time, raw_xml, parsed)
          select account_id, event_key, msg_type, event, from_user, create_time, raw_xml, parsed from input
          where first_event and (nonce_key in (select key from nonce)
            or exists (select 1 from prior where prior.key = input.nonce_key and prior.event_key = input.event_key))
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
    out[k] = r.fresh
      ? { nonce: "fresh", id, batchId }
      : r.prior === null || r.prior === dedupeKey
        ? { nonce: "retry", id, batchId }
        : { nonce: "replay", id: null, batchId: null };
  }
  return out as RecordOutcome[];
}
