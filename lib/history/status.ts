import { eq } from "drizzle-orm";
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
