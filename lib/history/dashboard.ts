import { and, count, desc, eq, gte, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaigns } from "@/db/schema";
import { periodStarts } from "@/lib/campaigns/quota";

const SENT_STATES = ["sending", "paused", "submitted", "finished"] as const;

export interface MonthUsage {
  /** campaigns that started sending this month (the account's time zone) */
  sendsThisMonth: number;
  /** of them, sent to everyone */
  toAllThisMonth: number;
  /**
   * Service accounts: the tag whose members got the most mass messages this month (its sends plus
   * every send to all), against WeChat's 4 a month per follower. Null when no tag was sent to.
   */
  busiestTag: { tagId: number; tagName: string | null; received: number } | null;
}

export async function monthUsage(db: Db, account: { id: string; timezone: string }, now = new Date()): Promise<MonthUsage> {
  const { month } = periodStarts(account.timezone, now);
  const sent = and(eq(campaigns.accountId, account.id), inArray(campaigns.state, [...SENT_STATES]), gte(campaigns.startedAt, month));
  const [[all], [toAll], tags] = await Promise.all([
    db.select({ n: count() }).from(campaigns).where(sent),
    db
      .select({ n: count() })
      .from(campaigns)
      .where(and(sent, eq(campaigns.audienceKind, "all"))),
    db
      .select({ tagId: campaigns.tagId, n: count() })
      .from(campaigns)
      .where(and(sent, eq(campaigns.audienceKind, "tag"), isNotNull(campaigns.tagId)))
      .groupBy(campaigns.tagId)
      .orderBy(desc(count()))
      .limit(1),
  ]);
  let busiestTag: MonthUsage["busiestTag"] = null;
  if (tags[0]?.tagId !== undefined && tags[0].tagId !== null) {
    const [named] = await db
      .select({ tagName: campaigns.tagName })
      .from(campaigns)
      .where(and(eq(campaigns.accountId, account.id), eq(campaigns.tagId, tags[0].tagId)))
      .orderBy(desc(campaigns.createdAt))
      .limit(1);
    busiestTag = { tagId: tags[0].tagId, tagName: named?.tagName ?? null, received: tags[0].n + toAll.n };
  }
  return { sendsThisMonth: all.n, toAllThisMonth: toAll.n, busiestTag };
}
