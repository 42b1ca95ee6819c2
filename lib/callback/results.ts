import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaignBatches, campaigns } from "@/db/schema";

export interface CopyrightResult {
  CheckState?: number;
  Count?: number;
  ResultList?: Record<string, number | string>[];
}

export interface BatchResult {
  id: number;
  seq: number;
  clientMsgId: string;
  state: string;
  msgId: string | null;
  msgDataId: string | null;
  submittedAt: string | null;
  errcode: number | null;
  errmsg: string | null;
  wechatStatus: string | null;
  resultStatus: string | null;
  resultAt: string | null;
  totalCount: number | null;
  filterCount: number | null;
  sentCount: number | null;
  errorCount: number | null;
  articleUrls: { idx: number; url: string }[];
  /** Articles deleted one by one from this send (message/mass/delete with article_idx). */
  deletedArticles: number[];
  copyright: CopyrightResult | null;
}

export interface CampaignResults {
  state: string;
  totals: { total: number | null; filter: number | null; sent: number | null; error: number | null };
  batches: BatchResult[];
}

/**
 * What MASSSENDJOBFINISH told us about a campaign, batch by batch (counts, status, every
 * article's URL and copyright outcome), as JSON for the campaign page's live results.
 */
export async function campaignResults(db: Db, accountId: string, campaignId: string): Promise<CampaignResults | null> {
  const [c] = await db
    .select({ state: campaigns.state, accountId: campaigns.accountId, total: campaigns.totalCount, filter: campaigns.filterCount, sent: campaigns.sentCount, error: campaigns.errorCount })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!c || c.accountId !== accountId) return null;
  const rows = await db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, campaignId)).orderBy(asc(campaignBatches.seq));
  return {
    state: c.state,
    totals: { total: c.total, filter: c.filter, sent: c.sent, error: c.error },
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
      resultStatus: b.resultStatus,
      resultAt: b.resultAt?.toISOString() ?? null,
      totalCount: b.totalCount,
      filterCount: b.filterCount,
      sentCount: b.sentCount,
      errorCount: b.errorCount,
      articleUrls: b.articleUrls ?? [],
      deletedArticles: b.deletedArticles ?? [],
      copyright: (b.copyright as CopyrightResult | null) ?? null,
    })),
  };
}
