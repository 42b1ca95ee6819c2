import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaigns } from "@/db/schema";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { newCampaignId } from "./campaign-service";

/**
 * A new draft with the campaign's message and audience (to send again, or to change the audience
 * and send elsewhere). Nothing of the sending is copied: no batches, counts, approval or schedule.
 * The audit row is written in the same transaction.
 */
export async function duplicateCampaign(db: Db, actor: Actor, accountId: string, campaignId: string, name: string): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.accountId, accountId)));
    if (!c) return null;
    const id = newCampaignId();
    await tx.insert(campaigns).values({
      id,
      accountId,
      name: name.slice(0, 80),
      state: "draft",
      messageType: c.messageType,
      message: c.message,
      searchText: c.searchText,
      sendIgnoreReprint: c.sendIgnoreReprint,
      audienceKind: c.audienceKind,
      tagId: c.tagId,
      tagName: c.tagName,
      audienceListId: c.audienceListId,
      audienceSize: c.audienceSize,
      createdBy: actor.id,
    });
    await writeAudit(tx, { actor, accountId, action: "campaign.duplicate", entityType: "campaign", entityId: id, summary: { from: campaignId, name } });
    return id;
  });
}
