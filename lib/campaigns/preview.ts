import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { previewLog, type CampaignMessage } from "@/db/schema";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { getAccount } from "@/lib/accounts/account-service";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import { ensureNewsMedia } from "@/lib/news/news-service";
import { WeChatApiError, type WeChatClient } from "@/lib/wechat";
import { PREVIEWS_PER_DAY, previewsToday } from "./quota";
import { toWeChatMessage } from "./wechat-messenger";

export interface PreviewTarget {
  towxname?: string | null;
  touser?: string | null;
}

/**
 * message/mass/preview to the person's own WeChat ID (towxname, which wins over touser) or
 * OpenID. Every attempt, accepted or refused, is logged (the day's count) and audited.
 */
async function sendPreview(
  db: Db,
  actor: Actor,
  accountId: string,
  message: CampaignMessage,
  to: PreviewTarget,
  campaignId?: string | null,
  deps: { client?: WeChatClient } = {},
) {
  const client = deps.client ?? (await getAccountClient(accountId));
  const body = toWeChatMessage(message);
  if (body.msgtype === "image" && "images" in body) throw new Error("preview takes one image");
  let msgId: string | null = null;
  let errcode: number | null = null;
  try {
    const r = await client.preview({
      ...(to.towxname ? { towxname: to.towxname } : {}),
      ...(to.touser ? { touser: to.touser } : {}),
      message: body as never,
      clientmsgid: `qf-pv-${randomBytes(8).toString("hex")}`,
    });
    msgId = r.msg_id;
    return { msgId };
  } catch (e) {
    errcode = e instanceof WeChatApiError ? e.errcode : -1;
    throw e;
  } finally {
    await db.transaction(async (tx) => {
      await tx
        .insert(previewLog)
        .values({ accountId, userId: actor.id, campaignId: campaignId ?? null, towxname: to.towxname ?? null, touser: to.touser ?? null, msgId, errcode });
      await writeAudit(tx, {
        actor,
        accountId,
        action: "campaign.preview",
        entityType: "campaign",
        entityId: campaignId ?? null,
        summary: { to: to.towxname ?? to.touser, type: message.type, msgId, errcode },
      });
    });
  }
}

/** The day's previews the account has left (100 a day per account, in its time zone). */
async function previewsLeft(db: Db, accountId: string): Promise<number> {
  const account = await getAccount(db, accountId);
  if (!account) return 0;
  return Math.max(0, PREVIEWS_PER_DAY - (await previewsToday(db, account)).n);
}

/** A refused preview, with what is left of the day's previews (for the person's next try). */
export class PreviewRefused extends Error {
  constructor(
    readonly cause: unknown,
    readonly previewsLeft: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "PreviewRefused";
  }
}

/**
 * "Preview on my WeChat", for a saved campaign or a form not yet saved: a news version without a
 * live media_id is uploaded first (media/uploadnews, recorded with that version), then previewed.
 * Returns the msg_id and the day's remaining previews; a refusal (news rules, WeChat's errcode)
 * comes as PreviewRefused carrying the remaining previews too.
 */
export async function previewMessage(
  db: Db,
  actor: Actor,
  accountId: string,
  message: CampaignMessage,
  to: PreviewTarget,
  campaignId: string | null,
  deps: { client?: WeChatClient } = {},
) {
  let uploadedMediaId: string | null = null;
  try {
    let m = message;
    if (m.type === "mpnews" && m.newsDraftId && m.newsVersion) {
      const got = await ensureNewsMedia(db, actor, accountId, m.newsDraftId, m.newsVersion, deps);
      m = { ...m, mediaId: got.mediaId, newsVersion: got.version, titles: got.titles };
      if (got.uploaded) uploadedMediaId = got.mediaId;
    }
    const r = await sendPreview(db, actor, accountId, m, to, campaignId, deps);
    return { msgId: r.msgId, uploadedMediaId, previewsLeft: await previewsLeft(db, accountId) };
  } catch (e) {
    throw new PreviewRefused(e, await previewsLeft(db, accountId));
  }
}
