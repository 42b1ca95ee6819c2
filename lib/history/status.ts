import { and, eq, isNotNull } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { campaignBatches } from "@/db/schema";
import { getAccountClient } from "@/lib/accounts/wechat-client";

/** message/mass/get for one batch: records WeChat's status (SENDING, SEND_SUCCESS, SEND_FAIL, DELETE). */
export async function refreshBatchStatus(h: DbHandle, batchId: number): Promise<string | null> {
  const [b] = await h.db.select().from(campaignBatches).where(eq(campaignBatches.id, batchId));
  if (!b?.msgId) return null;
  const client = await getAccountClient(b.accountId, h);
  const r = await client.getMassStatus(b.msgId);
  await h.db
    .update(campaignBatches)
    .set({ wechatStatus: r.msg_status, statusCheckedAt: new Date(), ...(r.msg_status === "DELETE" && !b.deletedAt ? { deletedAt: new Date() } : {}) })
    .where(eq(campaignBatches.id, batchId));
  return r.msg_status;
}

/**
 * Refreshes the submitted batches of one campaign of this account — all of them, or only `batchId`
 * (a batch of another campaign or account is not found, so the URL cannot reach it).
 */
export async function refreshCampaignStatus(h: DbHandle, accountId: string, campaignId: string, batchId?: number) {
  const rows = await h.db
    .select({ id: campaignBatches.id, seq: campaignBatches.seq })
    .from(campaignBatches)
    .where(and(eq(campaignBatches.campaignId, campaignId), eq(campaignBatches.accountId, accountId), isNotNull(campaignBatches.msgId), batchId === undefined ? undefined : eq(campaignBatches.id, batchId)))
    .orderBy(campaignBatches.seq);
  const out: { seq: number; status: string | null }[] = [];
  for (const b of rows) out.push({ seq: b.seq, status: await refreshBatchStatus(h, b.id) });
  return out;
}
