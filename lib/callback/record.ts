import { and, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { callbackEvents, callbackNonces, callbackRefusals, campaignBatches, campaigns } from "@/db/schema";
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

/** Refused pushes are never events: counted here, with the last ones kept for admins. */
export async function recordRefusal(db: DbOrTx, accountId: string | null, reason: RefusalReason, remote: string | null, detail: Record<string, unknown> = {}) {
  await db.insert(callbackRefusals).values({ accountId, reason, remote, detail });
  // Keep the table small: the last 1 000 per account are plenty to see what is going on.
  await db.execute(
    sql`delete from callback_refusals where id in (select id from callback_refusals where account_id is not distinct from ${accountId} order by id desc offset 1000)`,
  );
}

export async function refusalStats(db: Db, accountId: string) {
  const [c] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(callbackRefusals)
    .where(eq(callbackRefusals.accountId, accountId));
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

export async function pruneNonces(db: DbOrTx) {
  await db.delete(callbackNonces).where(lt(callbackNonces.at, new Date(Date.now() - 2 * NONCE_WINDOW_MS)));
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

/**
 * MASSSENDJOBFINISH → the batch that got this MsgID: its counts, copyright and article URLs. The
 * campaign's totals are the sum of its batches; when every submitted batch has its result, the
 * campaign is finished. An unknown MsgID (a send from WeChat's own backend) is kept as an event
 * only. Returns the campaign id when one was updated.
 */
export async function applyMassJobFinish(db: Db, accountId: string, eventId: number, e: MassJobFinish): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [b] = await tx
      .select({ id: campaignBatches.id, campaignId: campaignBatches.campaignId })
      .from(campaignBatches)
      .where(and(eq(campaignBatches.accountId, accountId), eq(campaignBatches.msgId, e.msgId)))
      .for("update");
    if (!b) return null;
    await tx.update(callbackEvents).set({ batchId: b.id }).where(eq(callbackEvents.id, eventId));
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

