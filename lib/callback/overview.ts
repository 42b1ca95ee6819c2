import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { callbackEvents, callbackRefusalCounts, callbackRefusals } from "@/db/schema";
import type { MassSendJobFinishEvent } from "@/lib/wechat";
import { jobResultOfPush, type JobResult } from "@/lib/campaigns/job-result";

export interface RefusalRow {
  id: number;
  reason: string;
  remote: string | null;
  at: Date;
  /** our own notes on the refusal (which check, which timestamp): never a secret or a body */
  detail: string;
}

export interface UnmatchedRow {
  id: number;
  msgId: string;
  /** the push's result, in the shape campaigns store it */
  result: JobResult;
  receivedAt: Date;
  applyError: string | null;
}

export interface CallbackOverview {
  refusals: { total: number; byReason: { reason: string; count: number; lastAt: Date }[]; last: RefusalRow[] };
  /** MASSSENDJOBFINISH whose MsgID matches no batch of ours: sends made from WeChat's own backend */
  unmatched: { count: number; last: UnmatchedRow[] };
  /** results recorded but not applied because applying failed (retried by the sweep) */
  applyFailures: number;
}

// Only these keys of a refusal's detail are shown: the route writes nothing else, and the allow
// list keeps it that way if someone adds a field later.
const DETAIL_KEYS = ["kind", "why", "timestamp"] as const;
const detailText = (d: Record<string, unknown> | null) =>
  DETAIL_KEYS.filter((k) => d && d[k] !== undefined && d[k] !== null)
    .map((k) => `${k}: ${String(d![k]).slice(0, 80)}`)
    .join(", ");

const n = (v: unknown) => {
  const x = Number(v);
  return Number.isFinite(x) ? x : 0;
};

/** What the admin sees of an account's callback: refusals (counts, last ones) and unmatched results. */
export async function callbackOverview(db: Db, accountId: string, limit = 20): Promise<CallbackOverview> {
  const [byReason, last, [um], unmatched, [fail]] = await Promise.all([
    db
      .select({ reason: callbackRefusalCounts.reason, count: callbackRefusalCounts.count, lastAt: callbackRefusalCounts.lastAt })
      .from(callbackRefusalCounts)
      .where(eq(callbackRefusalCounts.accountId, accountId))
      .orderBy(desc(callbackRefusalCounts.count), callbackRefusalCounts.reason),
    db
      .select({
        id: callbackRefusals.id,
        reason: callbackRefusals.reason,
        remote: callbackRefusals.remote,
        at: callbackRefusals.at,
        detail: callbackRefusals.detail,
      })
      .from(callbackRefusals)
      .where(eq(callbackRefusals.accountId, accountId))
      .orderBy(desc(callbackRefusals.id))
      .limit(limit),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(callbackEvents)
      .where(and(eq(callbackEvents.accountId, accountId), eq(callbackEvents.event, "MASSSENDJOBFINISH"), isNull(callbackEvents.batchId))),
    db
      .select({ id: callbackEvents.id, parsed: callbackEvents.parsed, receivedAt: callbackEvents.receivedAt, applyError: callbackEvents.applyError })
      .from(callbackEvents)
      .where(and(eq(callbackEvents.accountId, accountId), eq(callbackEvents.event, "MASSSENDJOBFINISH"), isNull(callbackEvents.batchId)))
      .orderBy(desc(callbackEvents.id))
      .limit(limit),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(callbackEvents)
      .where(
        and(
          eq(callbackEvents.accountId, accountId),
          eq(callbackEvents.event, "MASSSENDJOBFINISH"),
          isNull(callbackEvents.appliedAt),
          sql`${callbackEvents.applyError} is not null`,
        ),
      ),
  ]);
  return {
    refusals: {
      total: byReason.reduce((s, r) => s + n(r.count), 0),
      byReason: byReason.map((r) => ({ reason: r.reason, count: n(r.count), lastAt: r.lastAt })),
      last: last.map((r) => ({ id: r.id, reason: r.reason, remote: r.remote, at: r.at, detail: detailText(r.detail) })),
    },
    unmatched: {
      count: um?.n ?? 0,
      last: unmatched.map((e) => {
        const p = e.parsed as unknown as MassSendJobFinishEvent;
        const r = jobResultOfPush(p);
        return {
          id: e.id,
          msgId: String(p.MsgID ?? ""),
          // Stored pushes were parsed by the callback; the numbers are read defensively all the same.
          result: {
            ...r,
            status: String(r.status ?? ""),
            totalCount: n(r.totalCount),
            filterCount: n(r.filterCount),
            sentCount: n(r.sentCount),
            errorCount: n(r.errorCount),
          },
          receivedAt: e.receivedAt,
          applyError: e.applyError,
        };
      }),
    },
    applyFailures: fail?.n ?? 0,
  };
}
