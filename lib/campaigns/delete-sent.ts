import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaignBatches, campaigns } from "@/db/schema";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import type { WeChatClient } from "@/lib/wechat";

export class DeleteRefused extends Error {
  constructor(readonly reason: "type" | "notSent" | "articleIdx") {
    super(reason);
  }
}

/**
 * Other campaigns that sent the same material (the same media_id): deleting one send deletes the
 * article page for every send of that material (WeChat's 群发接口 document, 删除群发), so the
 * confirmation lists them.
 */
export async function sameMaterialSends(db: Db, accountId: string, campaignId: string) {
  const [c] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.accountId, accountId)));
  if (!c) return [];
  const mediaId = (c.message as { mediaId?: string | null }).mediaId;
  if (!mediaId) return [];
  return db
    .select({ id: campaigns.id, name: campaigns.name, startedAt: campaigns.startedAt })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.accountId, accountId),
        sql`${campaigns.message}->>'mediaId' = ${mediaId}`,
        sql`${campaigns.id} <> ${campaignId}`,
        isNotNull(campaigns.startedAt),
      ),
    )
    .orderBy(campaigns.startedAt);
}

/**
 * message/mass/delete for every submitted batch of a news or video campaign (whole, or one article).
 * Each batch WeChat accepted is recorded — DELETE for the whole message, the article_idx in
 * deleted_articles for one article — with the audit row in the same transaction, also when a later
 * batch's call fails (then the error is passed on).
 */
export async function deleteSentCampaign(
  db: Db,
  actor: Actor,
  accountId: string,
  campaignId: string,
  articleIdx: number,
  opts: { client?: WeChatClient } = {},
) {
  const [c] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.accountId, accountId)));
  if (!c) throw new DeleteRefused("notSent");
  if (c.messageType !== "mpnews" && c.messageType !== "mpvideo") throw new DeleteRefused("type");
  if (articleIdx < 0 || articleIdx > 8 || (c.messageType === "mpvideo" && articleIdx > 0)) throw new DeleteRefused("articleIdx");
  const batches = await db
    .select()
    .from(campaignBatches)
    .where(and(eq(campaignBatches.campaignId, campaignId), isNotNull(campaignBatches.msgId)));
  if (batches.length === 0) throw new DeleteRefused("notSent");
  const client = opts.client ?? (await getAccountClient(accountId));
  const done: number[] = [];
  let failure: unknown = null;
  for (const b of batches) {
    try {
      await client.deleteMass({ msg_id: b.msgId!, ...(articleIdx > 0 ? { article_idx: articleIdx } : {}) });
      done.push(b.id);
    } catch (e) {
      failure = e;
      break;
    }
  }
  if (done.length) {
    await db.transaction(async (tx) => {
      if (articleIdx === 0) await tx.update(campaignBatches).set({ deletedAt: new Date(), wechatStatus: "DELETE" }).where(inArray(campaignBatches.id, done));
      else
        await tx
          .update(campaignBatches)
          .set({
            deletedArticles: sql`(select coalesce(jsonb_agg(distinct x order by x), '[]'::jsonb)
              from jsonb_array_elements(${campaignBatches.deletedArticles} || ${JSON.stringify([articleIdx])}::jsonb) as e(x))`,
          })
          .where(inArray(campaignBatches.id, done));
      await writeAudit(tx, {
        actor,
        accountId,
        action: "campaign.delete-sent",
        entityType: "campaign",
        entityId: campaignId,
        summary: { articleIdx, batches: done.length, of: batches.length },
      });
    });
  }
  if (failure) throw failure;
}
