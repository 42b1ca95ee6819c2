"use server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { authedAction, UserFacingError } from "@/lib/auth/action";
import { createDraft, deleteDraft, getDraft, NewsNotFoundError, uploadNewsVersion } from "@/lib/news/news-service";
import { explain, requireAccount, saveDraftFor } from "./save-draft";
import { draftSaveSchema } from "@/lib/news/schemas";

const accountIdSchema = z.string().min(1).max(64);
const draftRef = z.object({ accountId: accountIdSchema, draftId: z.string().min(1).max(64) });

export const createDraftAction = authedAction("edit", z.object({ accountId: accountIdSchema }), async ({ accountId }, user) => {
  const db = await requireAccount(accountId);
  const r = await createDraft(db, user, accountId);
  revalidatePath(`/${accountId}/news`);
  return { id: r.id };
});

export const saveDraftAction = authedAction("edit", draftSaveSchema, async (input, user) => saveDraftFor(user, input));

export const loadDraftAction = authedAction("read", draftRef, async ({ accountId, draftId }) => {
  const db = await requireAccount(accountId);
  const d = await getDraft(db, accountId, draftId);
  if (!d) return explain(new NewsNotFoundError());
  return { version: d.version, updatedAt: d.updatedAt.toISOString(), updatedByName: d.updatedBy?.name ?? null, articles: d.articles };
});

/**
 * "Upload to WeChat": the saved draft goes through media/uploadnews. Returns the media_id, the
 * version it came from and, when content images were rewritten, the new version's articles.
 */
export const uploadNewsAction = authedAction("edit", draftRef, async ({ accountId, draftId }, user) => {
  const db = await requireAccount(accountId);
  const r = await uploadNewsVersion(db, user, accountId, draftId).catch(explain);
  const d = (await getDraft(db, accountId, draftId))!;
  revalidatePath(`/${accountId}/news`);
  return {
    mediaId: r.mediaId,
    version: r.version,
    titles: r.titles,
    uploadedAt: r.uploadedAt.toISOString(),
    draftVersion: d.version,
    draftUpdatedAt: d.updatedAt.toISOString(),
    articles: d.articles,
  };
});

export const deleteDraftAction = authedAction("edit", draftRef, async ({ accountId, draftId }, user) => {
  const db = await requireAccount(accountId);
  if (!(await deleteDraft(db, user, accountId, draftId))) throw new UserFacingError((await getTranslations("news"))("notFound"));
  revalidatePath(`/${accountId}/news`);
  return null;
});
