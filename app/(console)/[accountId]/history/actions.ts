"use server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb, getDbHandle } from "@/db/client";
import { authedAction, UserFacingError } from "@/lib/auth/action";
import { refreshCampaignStatus } from "@/lib/campaigns/mass-status";
import { duplicateCampaign } from "@/lib/campaigns/duplicate";
import { campaignName } from "@/lib/campaigns/lists";

const idSchema = z.object({ accountId: z.string().min(1).max(64), campaignId: z.string().min(1).max(64) });

/** message/mass/get for the whole campaign, or for one of its batches. */
export const refreshStatusAction = authedAction(
  "publish",
  idSchema.extend({ batchId: z.number().int().positive().optional() }),
  async ({ accountId, campaignId, batchId }) => {
    const out = await refreshCampaignStatus(await getDbHandle(), accountId, campaignId, batchId);
    revalidatePath(`/${accountId}/campaigns/${campaignId}`);
    return out;
  },
);

/** "Duplicate as a new draft": drafts are the editor's work, as in the compose form. */
export const duplicateAction = authedAction("edit", idSchema, async ({ accountId, campaignId }, user) => {
  const t = await getTranslations("history.actions");
  const db = await getDb();
  const name = await campaignName(db, accountId, campaignId);
  if (name === null) throw new UserFacingError(t("notFound"));
  const id = await duplicateCampaign(db, user, accountId, campaignId, t("copyName", { name }));
  if (!id) throw new UserFacingError(t("notFound"));
  revalidatePath(`/${accountId}/campaigns`);
  return { id };
});
