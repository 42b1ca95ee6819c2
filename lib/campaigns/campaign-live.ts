import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaignBatches, campaigns } from "@/db/schema";
import type { ArticleUrl, CopyrightResult } from "./job-result";
import type { CampaignLive } from "./live";
import { DEFAULT_PER_MINUTE } from "./rate-limit";

/** The campaign page's read model; null when the campaign is not this account's. */
export async function campaignLive(db: Db, accountId: string, campaignId: string): Promise<CampaignLive | null> {
  const [c] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.accountId, accountId)));
  if (!c) return null;
  const rows = await db
    .select({ ...getTableColumns(campaignBatches), lastMinute: sql<boolean>`coalesce(${campaignBatches.submittedAt} > now() - interval '60 seconds', false)` })
    .from(campaignBatches)
    .where(eq(campaignBatches.campaignId, campaignId))
    .orderBy(asc(campaignBatches.seq));
  const counts = { total: rows.length, submitted: 0, failed: 0, pending: 0, cancelled: 0, withResult: 0 };
  let recipientsSubmitted = 0;
  let rate = 0;
  for (const b of rows) {
    if (b.state === "submitted") {
      counts.submitted++;
      recipientsSubmitted += b.recipientCount ?? 0;
    } else if (b.state === "failed") counts.failed++;
    else if (b.state === "pending" || b.state === "submitting") counts.pending++;
    else if (b.state === "cancelled") counts.cancelled++;
    if (b.resultAt) counts.withResult++;
    if (b.lastMinute) rate++;
  }
  // An estimate only from something seen: the last minute's pace, or (a pause since) the usual one once
  // a batch has gone. Before the first batch is submitted nothing says how long it will take.
  const pace = rate > 0 ? rate : DEFAULT_PER_MINUTE;
  const estimable = counts.pending > 0 && counts.submitted > 0;
  return {
    state: c.state,
    pausedReason: c.pausedReason,
    lastError: c.lastError,
    counts,
    recipients: { total: c.audienceSize, submitted: recipientsSubmitted },
    ratePerMinute: rate,
    etaSeconds: estimable ? Math.ceil((counts.pending / pace) * 60) : null,
    totals: { total: c.totalCount, filter: c.filterCount, sent: c.sentCount, error: c.errorCount },
    batches: rows.map((b) => ({
      id: b.id,
      seq: b.seq,
      clientMsgId: b.clientMsgId,
      state: b.state,
      msgId: b.msgId,
      msgDataId: b.msgDataId,
      submittedAt: b.submittedAt?.toISOString() ?? null,
      errcode: b.errcode,
      errmsg: b.errmsg,
      wechatStatus: b.wechatStatus,
      deletedArticles: b.deletedArticles ?? [],
      result:
        b.resultStatus && b.resultAt
          ? {
              status: b.resultStatus,
              at: b.resultAt.toISOString(),
              totalCount: b.totalCount,
              filterCount: b.filterCount,
              sentCount: b.sentCount,
              errorCount: b.errorCount,
              copyright: (b.copyright as CopyrightResult | null) ?? null,
              articleUrls: (b.articleUrls as ArticleUrl[] | null) ?? [],
            }
          : null,
    })),
  };
}
