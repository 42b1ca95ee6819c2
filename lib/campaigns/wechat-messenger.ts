import type { DbHandle } from "@/db/client";
import type { CampaignMessage } from "@/db/schema/campaigns";
import { createWeChatClient, WeChatApiError, WeChatTransportError, type MassMessage, type WeChatClient } from "@/lib/wechat";
import { getAccount } from "@/lib/accounts/account-service";
import { dbTokenProvider } from "@/lib/accounts/token-store";
import type { Messenger, SendOutcome, SendRequest } from "./messenger";
import { env } from "@/lib/config/env";

/** qunfa's message → WeChat's body (msgtype mpvideo for video, never `video`). */
export function toWeChatMessage(m: CampaignMessage): MassMessage {
  switch (m.type) {
    case "mpnews":
      if (!m.mediaId) throw new Error("news message has no media_id yet");
      return { msgtype: "mpnews", mpnews: { media_id: m.mediaId } };
    case "text":
      return { msgtype: "text", text: { content: m.content } };
    case "image":
      return { msgtype: "image", image: { media_id: m.mediaId } };
    case "voice":
      return { msgtype: "voice", voice: { media_id: m.mediaId } };
    case "mpvideo":
      return {
        msgtype: "mpvideo",
        mpvideo: { media_id: m.mediaId, ...(m.title ? { title: m.title } : {}), ...(m.description ? { description: m.description } : {}) },
      };
    case "wxcard":
      return { msgtype: "wxcard", wxcard: { card_id: m.cardId } };
  }
}

/** How the pipeline reacts to what WeChat said, by the errcode's retry class. */
function classify(e: unknown): SendOutcome {
  if (e instanceof WeChatApiError) {
    // 45066 (same clientmsgid again too fast) waits the pipeline's tooFastWaitMs (a minute).
    if (e.retry === "retry-same-request" || e.retry === "wait-and-retry") return { kind: "retry", errcode: e.errcode, message: e.errmsg };
    // refresh-token was already tried once by the client: a second refusal will not pass by waiting.
    return { kind: "fail", errcode: e.errcode, message: e.errmsg };
  }
  if (e instanceof WeChatTransportError) {
    return e.retry === "never" ? { kind: "fail", errcode: null, message: e.message } : { kind: "retry", errcode: null, message: e.message };
  }
  return { kind: "retry", errcode: null, message: (e as Error)?.message ?? String(e) };
}

/** The pipeline's Messenger over lib/wechat, one client per account (base URL and shared token). */
export function wechatMessenger(h: DbHandle, opts: { timeoutMs?: number; fetch?: (input: string, init?: RequestInit) => Promise<Response> } = {}): Messenger {
  const clients = new Map<string, Promise<WeChatClient>>();
  const clientFor = (accountId: string) => {
    let c = clients.get(accountId);
    if (!c) {
      c = getAccount(h.db, accountId).then((a) => {
        if (!a) throw new Error(`account ${accountId} not found`);
        return createWeChatClient({
          baseUrl: a.apiBaseUrl,
          fetch: opts.fetch,
          tokenProvider: dbTokenProvider(h, accountId),
          timeoutMs: opts.timeoutMs ?? env.wechatTimeoutMs,
        });
      });
      clients.set(accountId, c);
      c.catch(() => clients.delete(accountId));
    }
    return c;
  };
  return {
    async send(req: SendRequest): Promise<SendOutcome> {
      try {
        const client = await clientFor(req.accountId);
        const message = toWeChatMessage(req.message);
        const sir = req.message.type === "mpnews" ? { send_ignore_reprint: req.sendIgnoreReprint } : {};
        const r =
          req.target.kind === "list"
            ? await client.send({ touser: req.target.openids, message, ...sir, clientmsgid: req.clientMsgId })
            : await client.sendAll({
                filter: req.target.kind === "all" ? { is_to_all: true } : { is_to_all: false, tag_id: req.target.tagId },
                message,
                ...sir,
                clientmsgid: req.clientMsgId,
              });
        return r.status === "already-submitted"
          ? { kind: "already-submitted", msgId: r.msg_id }
          : { kind: "submitted", msgId: r.msg_id, msgDataId: r.msg_data_id ?? null };
      } catch (e) {
        return classify(e);
      }
    },
  };
}
