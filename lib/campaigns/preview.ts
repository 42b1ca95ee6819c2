import type { Db } from "@/db/client";
import { previewLog, type CampaignMessage } from "@/db/schema";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import { WeChatApiError } from "@/lib/wechat";
import { toWeChatMessage } from "./wechat-messenger";
import { randomBytes } from "node:crypto";

/**
 * "Preview on my WeChat": message/mass/preview to the person's own WeChat ID (towxname, which
 * wins over touser) or OpenID. Works for unsaved campaigns; every attempt is logged and audited.
 */
export async function sendPreview(db: Db, actor: Actor, accountId: string, message: CampaignMessage, to: { towxname?: string | null; touser?: string | null }, campaignId?: string | null) {
  const client = await getAccountClient(accountId);
  const body = toWeChatMessage(message);
  if (body.msgtype === "image" && "images" in body) throw new Error("preview takes one image");
  let msgId: string | null = null;
  let errcode: number | null = null;
  try {
    const r = await client.preview({ ...(to.towxname ? { towxname: to.towxname } : {}), ...(to.touser ? { touser: to.touser } : {}), message: body as never, clientmsgid: `qf-pv-${randomBytes(8).toString("hex")}` });
    msgId = r.msg_id;
    return { msgId };
  } catch (e) {
    errcode = e instanceof WeChatApiError ? e.errcode : -1;
    throw e;
  } finally {
    await db.transaction(async (tx) => {
      await tx.insert(previewLog).values({ accountId, userId: actor.id, campaignId: campaignId ?? null, towxname: to.towxname ?? null, touser: to.touser ?? null, msgId, errcode });
      await writeAudit(tx, { actor, accountId, action: "campaign.preview", entityType: "campaign", entityId: campaignId ?? null, summary: { to: to.towxname ?? to.touser, type: message.type, msgId, errcode } });
    });
  }
}
