import { and, count, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaigns, previewLog } from "@/db/schema";

const SENT_STATES = ["sending", "paused", "submitted", "finished"] as const;

/** Start of today and of this month in a time zone, as instants. */
export function periodStarts(timeZone: string, now = new Date()) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now); // YYYY-MM-DD
  const offsetMin = (() => {
    const local = new Date(now.toLocaleString("en-US", { timeZone }));
    const utc = new Date(now.toLocaleString("en-US", { timeZone: "UTC" }));
    return Math.round((local.getTime() - utc.getTime()) / 60000);
  })();
  const toInstant = (ymd: string) => new Date(Date.parse(`${ymd}T00:00:00Z`) - offsetMin * 60000);
  return { day: toInstant(parts), month: toInstant(parts.slice(0, 8) + "01") };
}

export const PREVIEWS_PER_DAY = 100;

/**
 * Previews WeChat accepted today for the account (its day, in the account's time zone). A refused
 * preview is not counted: WeChat counts the previews it sends.
 */
export async function previewsToday(db: Db, account: { id: string; timezone: string }): Promise<{ n: number }> {
  const { day } = periodStarts(account.timezone);
  const [r] = await db
    .select({ n: count() })
    .from(previewLog)
    .where(and(eq(previewLog.accountId, account.id), gte(previewLog.at, day), sql`(${previewLog.errcode} is null or ${previewLog.errcode} = 0)`));
  return r;
}

export interface QuotaSummary {
  accountType: "service" | "subscription";
  sendsToday: number;
  subscriptionSendLeft: boolean;
  toAllThisMonth: number;
  toAllLeft: number;
  previewsToday: number;
  previewsLeft: number;
  /** recipients of this audience estimated to have had 4 mass messages this month already */
  estimatedCapped: number | null;
}

/**
 * What remains of WeChat's quotas, from qunfa's own history (seeds/004): a subscription account
 * sends once a day; a service account's followers each receive at most 4 a month, and is_to_all
 * sends count against 4 a month (the web backend's sends count too and are invisible here).
 */
export async function quotaSummary(
  db: Db,
  account: { id: string; type: "service" | "subscription"; timezone: string },
  audience?: { kind: "all" | "tag" | "list"; tagId?: number | null; size?: number | null },
): Promise<QuotaSummary> {
  const { day, month } = periodStarts(account.timezone);
  const sent = and(eq(campaigns.accountId, account.id), inArray(campaigns.state, [...SENT_STATES]));
  const [[today], [toAll], previews] = await Promise.all([
    db.select({ n: count() }).from(campaigns).where(and(sent, gte(campaigns.startedAt, day))),
    db.select({ n: count() }).from(campaigns).where(and(sent, eq(campaigns.audienceKind, "all"), gte(campaigns.startedAt, month))),
    previewsToday(db, account),
  ]);
  let estimatedCapped: number | null = null;
  if (account.type === "service" && audience?.size) {
    // Everyone got each send to all; a tag's members got each send to that tag. Four of those
    // this month means the whole audience is filtered out (counted in FilterCount, not sent).
    const [sameTag] =
      audience.kind === "tag" && audience.tagId !== null && audience.tagId !== undefined
        ? await db.select({ n: count() }).from(campaigns).where(and(sent, eq(campaigns.audienceKind, "tag"), eq(campaigns.tagId, audience.tagId), gte(campaigns.startedAt, month)))
        : [{ n: 0 }];
    estimatedCapped = toAll.n + sameTag.n >= 4 ? audience.size : 0;
  }
  return {
    accountType: account.type,
    sendsToday: today.n,
    subscriptionSendLeft: today.n < 1,
    toAllThisMonth: toAll.n,
    toAllLeft: Math.max(0, (account.type === "service" ? 4 : 1) - (account.type === "service" ? toAll.n : today.n)),
    previewsToday: previews.n,
    previewsLeft: Math.max(0, PREVIEWS_PER_DAY - previews.n),
    estimatedCapped,
  };
}
