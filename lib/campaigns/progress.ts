import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaignBatches, campaigns } from "@/db/schema";
import { DEFAULT_PER_MINUTE } from "./rate-limit";

export interface Progress {
  state: string;
  pausedReason: string | null;
  lastError: string | null;
  batches: { total: number; submitted: number; failed: number; pending: number; cancelled: number; withResult: number };
  recipients: { total: number | null; submitted: number };
  ratePerMinute: number;
  etaSeconds: number | null;
  totals: { total: number | null; filter: number | null; sent: number | null; error: number | null };
}

/** What the campaign page polls while a campaign runs. */
export async function campaignProgress(db: Db, accountId: string, campaignId: string): Promise<Progress | null> {
  const [c] = await db.select().from(campaigns).where(and(eq(campaigns.id, campaignId), eq(campaigns.accountId, accountId)));
  if (!c) return null;
  const [b] = await db
    .select({
      total: sql<number>`count(*)::int`,
      submitted: sql<number>`count(*) filter (where ${campaignBatches.state} = 'submitted')::int`,
      failed: sql<number>`count(*) filter (where ${campaignBatches.state} = 'failed')::int`,
      pending: sql<number>`count(*) filter (where ${campaignBatches.state} in ('pending','submitting'))::int`,
      cancelled: sql<number>`count(*) filter (where ${campaignBatches.state} = 'cancelled')::int`,
      withResult: sql<number>`count(*) filter (where ${campaignBatches.resultAt} is not null)::int`,
      recipientsSubmitted: sql<number>`coalesce(sum(${campaignBatches.recipientCount}) filter (where ${campaignBatches.state} = 'submitted'), 0)::int`,
      lastMinute: sql<number>`count(*) filter (where ${campaignBatches.submittedAt} > now() - interval '60 seconds')::int`,
    })
    .from(campaignBatches)
    .where(eq(campaignBatches.campaignId, campaignId));
  const rate = b.lastMinute;
  const pace = rate > 0 ? rate : DEFAULT_PER_MINUTE;
  return {
    state: c.state,
    pausedReason: c.pausedReason,
    lastError: c.lastError,
    batches: { total: b.total, submitted: b.submitted, failed: b.failed, pending: b.pending, cancelled: b.cancelled, withResult: b.withResult },
    recipients: { total: c.audienceSize, submitted: b.recipientsSubmitted },
    ratePerMinute: rate,
    etaSeconds: b.pending > 0 ? Math.ceil((b.pending / pace) * 60) : null,
    totals: { total: c.totalCount, filter: c.filterCount, sent: c.sentCount, error: c.errorCount },
  };
}
