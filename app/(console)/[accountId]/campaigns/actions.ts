"use server";
import { revalidatePath } from "next/cache";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { authedAction, UserFacingError } from "@/lib/auth/action";
import { getAccount } from "@/lib/accounts/account-service";
import { campaignFormSchema, sendRequestSchema } from "@/lib/campaigns/schemas";
import type { Db } from "@/db/client";
import {
  CampaignError,
  getCampaign,
  resolveFormMessage,
  cancelCampaign,
  decideApproval,
  pauseCampaign,
  requestSend,
  resumeCampaign,
  saveCampaign,
  unscheduleCampaign,
} from "@/lib/campaigns/campaign-service";
import { previewMessage, PreviewRefused } from "@/lib/campaigns/preview";
import type { CurrentUser } from "@/lib/auth/guard";
import { previewTargetFor } from "@/lib/users/preview-target";
import type { CampaignMessage } from "@/db/schema";
import { accountTags } from "@/lib/audiences/tags";
import { campaignJobs } from "@/lib/jobs/campaign-jobs";
import { WeChatApiError, WeChatTransportError } from "@/lib/wechat";
import { NewsNotFoundError, NewsValidationError, NewsVersionGoneError } from "@/lib/news/news-service";
import { explainNewsError, newsIssueText } from "@/lib/news/explain";

const accountIdSchema = z.string().min(1).max(64);

/** A news refusal on the compose form, under the news picker, with WeChat's errcode meaning if any. */
async function explainNews(e: unknown): Promise<string | null> {
  const t = await getTranslations("campaigns");
  if (e instanceof NewsValidationError) {
    const tn = await getTranslations("news");
    const parts: string[] = [];
    for (const i of e.issues) {
      const text = await newsIssueText(i);
      const [, n, field] = i.path;
      if (typeof n === "number") {
        const label = typeof field === "string" && tn.has(`field.${field}`) ? tn(`field.${field}`) : String(field ?? "");
        parts.push(t("error.newsArticleIssue", { n: n + 1, field: label, text }));
      } else parts.push(text);
    }
    return t("error.newsInvalid", { details: parts.join("; ") });
  }
  if (e instanceof NewsVersionGoneError) return t("error.newsVersionGone", { version: e.version, current: e.currentVersion ?? "?" });
  if (e instanceof NewsNotFoundError) return t("error.newsNotFound");
  if (e instanceof WeChatApiError || e instanceof WeChatTransportError) return null;
  const x = await explainNewsError(e, await getLocale());
  return x ? t("error.newsUpload", { detail: x.message }) : null;
}

async function explain(e: unknown): Promise<never> {
  const t = await getTranslations("campaigns");
  const news = await explainNews(e);
  if (news) throw new UserFacingError(news, { "message.newsDraftId": [news] });
  if (e instanceof CampaignError) {
    const field =
      e.code === "confirmName"
        ? "audience.confirmName"
        : e.code === "listTooSmall" || e.code === "listNotReady" || e.code === "sendByListNeedsService"
          ? "audience.listId"
          : e.code === "scheduleInPast"
            ? "scheduledAt"
            : undefined;
    const msg =
      e.code === "changedSinceViewed" || e.code === "changedAfterClearance"
        ? t(`clearance.${e.code}`)
        : t(`error.${e.code}`, e.detail as Record<string, string>);
    throw new UserFacingError(msg, field ? { [field]: [msg] } : undefined);
  }
  // What WeChat answered is worded by authedAction, as for every action.
  throw e;
}

const resolveMessage = (db: Db, accountId: string, v: z.output<typeof campaignFormSchema>["message"]) => resolveFormMessage(db, accountId, v).catch(explain);

const saveSchema = z.object({ accountId: accountIdSchema, id: z.string().max(64).nullable(), values: campaignFormSchema });

export const saveCampaignAction = authedAction("edit", saveSchema, async ({ accountId, id, values }, user) => {
  const db = await getDb();
  const resolved = await resolveMessage(db, accountId, values.message);
  const saved = await saveCampaign(db, user, accountId, id, values, resolved).catch(explain);
  revalidatePath(`/${accountId}/campaigns`);
  // An edit may have returned a scheduled campaign to draft: its page shows the new state.
  if (id) revalidatePath(`/${accountId}/campaigns/${id}`);
  return { id: saved };
});

const previewSchema = z.object({ accountId: accountIdSchema, campaignId: z.string().max(64).nullable(), message: campaignFormSchema.shape.message });

async function preview(user: CurrentUser, accountId: string, campaignId: string | null, message: CampaignMessage) {
  const t = await getTranslations("campaigns");
  const db = await getDb();
  // Only to the WeChat ID (or OpenID) an admin confirmed as this person's own.
  const target = await previewTargetFor(db, user.id);
  if (!target.ok)
    throw new UserFacingError(
      t("previewGate.refused", { reason: target.reason === "none" ? t("previewGate.none") : t("previewGate.unconfirmed", { id: target.value }) }),
    );
  const to = { towxname: target.towxname, touser: target.touser };
  try {
    const r = await previewMessage(db, user, accountId, message, to, campaignId);
    return { msgId: r.msgId, to: target.to, previewsLeft: r.previewsLeft, uploadedMediaId: r.uploadedMediaId };
  } catch (e) {
    if (!(e instanceof PreviewRefused)) throw e;
    const x = await explain(e.cause).catch((y: unknown) => y);
    if (!(x instanceof UserFacingError)) throw x;
    throw new UserFacingError(`${x.message} ${t("previewsLeftToday", { left: e.previewsLeft })}`, x.fieldErrors);
  }
}

/**
 * "Preview on my WeChat" from the compose form, saved or not: a news version without a media_id is
 * uploaded first. The answer carries the day's remaining previews; every attempt is audited.
 */
export const previewAction = authedAction("preview", previewSchema, async ({ accountId, campaignId, message }, user) => {
  const { message: m } = await resolveMessage(await getDb(), accountId, message);
  return preview(user, accountId, campaignId, m);
});

/** The same for a saved campaign as it is stored (e.g. by an approver before approving). */
export const previewSavedAction = authedAction(
  "preview",
  z.object({ accountId: accountIdSchema, campaignId: z.string().min(1).max(64) }),
  async ({ accountId, campaignId }, user) => {
    const c = await getCampaign(await getDb(), accountId, campaignId);
    if (!c) throw new UserFacingError((await getTranslations("campaigns"))("error.notFound"));
    return preview(user, accountId, campaignId, c.message);
  },
);

/** The fingerprint of the campaign as the page showed it (lib/campaigns/fingerprint.ts). */
const seenSchema = z.string().regex(/^[0-9a-f]{64}$/);
const sendSchema = z.object({ ...sendRequestSchema.shape, accountId: accountIdSchema, seen: seenSchema });

export const sendAction = authedAction("publish", sendSchema, async ({ accountId, campaignId, scheduledAt, seen }, user) => {
  const db = await getDb();
  const jobs = await campaignJobs();
  const state = await requestSend(db, jobs, user, accountId, campaignId, scheduledAt ? new Date(scheduledAt) : null, {}, seen).catch(explain);
  revalidatePath(`/${accountId}/campaigns/${campaignId}`);
  return { state };
});

const idSchema = z.object({ accountId: accountIdSchema, campaignId: z.string().min(1).max(64) });

export const pauseAction = authedAction("publish", idSchema, async ({ accountId, campaignId }, user) => {
  const s = await pauseCampaign(await getDb(), user, accountId, campaignId).catch(explain);
  revalidatePath(`/${accountId}/campaigns/${campaignId}`);
  return { state: s };
});
export const resumeAction = authedAction("publish", idSchema, async ({ accountId, campaignId }, user) => {
  const s = await resumeCampaign(await getDb(), await campaignJobs(), user, accountId, campaignId).catch(explain);
  revalidatePath(`/${accountId}/campaigns/${campaignId}`);
  return { state: s };
});
export const cancelAction = authedAction("publish", idSchema, async ({ accountId, campaignId }, user) => {
  const s = await cancelCampaign(await getDb(), user, accountId, campaignId).catch(explain);
  revalidatePath(`/${accountId}/campaigns/${campaignId}`);
  return { state: s };
});
export const unscheduleAction = authedAction("publish", idSchema, async ({ accountId, campaignId }, user) => {
  const s = await unscheduleCampaign(await getDb(), user, accountId, campaignId).catch(explain);
  revalidatePath(`/${accountId}/campaigns/${campaignId}`);
  return { state: s };
});

const decideSchema = idSchema.extend({ approve: z.boolean(), comment: z.string().trim().max(500), seen: seenSchema });
export const decideAction = authedAction("publish", decideSchema, async ({ accountId, campaignId, approve, comment, seen }, user) => {
  await decideApproval(await getDb(), await campaignJobs(), user, accountId, campaignId, approve, comment, {}, seen).catch(explain);
  revalidatePath(`/${accountId}/campaigns/${campaignId}`);
  return null;
});

export const tagsAction = authedAction("read", z.object({ accountId: accountIdSchema, refresh: z.boolean() }), async ({ accountId, refresh }) => {
  const db = await getDb();
  if (!(await getAccount(db, accountId))) throw new UserFacingError((await getTranslations("accounts"))("notFound"));
  const r = await accountTags(accountId, refresh).catch(explain);
  return { tags: r.tags, fetchedAt: r.fetchedAt.toISOString(), ageMinutes: Math.max(0, Math.round((Date.now() - r.fetchedAt.getTime()) / 60000)) };
});

const deleteSchema = idSchema.extend({ articleIdx: z.number().int().min(0).max(8) });
export const deleteSentAction = authedAction("publish", deleteSchema, async ({ accountId, campaignId, articleIdx }, user) => {
  const { deleteSentCampaign, DeleteRefused } = await import("@/lib/campaigns/delete-sent");
  const t = await getTranslations("campaigns");
  try {
    await deleteSentCampaign(await getDb(), user, accountId, campaignId, articleIdx);
  } catch (e) {
    if (e instanceof DeleteRefused) throw new UserFacingError(t(`error.delete.${e.reason}`));
    await explain(e);
  }
  revalidatePath(`/${accountId}/campaigns/${campaignId}`);
  return null;
});
