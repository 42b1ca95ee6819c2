import type { CampaignMessage } from "@/db/schema/campaigns";
import type { SendTarget } from "@/lib/audiences/audience";

export type { SendTarget };

export interface SendRequest {
  accountId: string;
  message: CampaignMessage;
  sendIgnoreReprint: 0 | 1;
  target: SendTarget;
  clientMsgId: string;
}

/**
 * What became of one request. `retry` is for failures that pass by waiting (−1, 45011, 5xx,
 * timeouts, dropped connections): the same request, with the same clientmsgid, is sent again.
 */
export type SendOutcome =
  | { kind: "submitted"; msgId: string; msgDataId?: string | null }
  | { kind: "already-submitted"; msgId: string }
  | { kind: "retry"; errcode: number | null; message: string; waitMs?: number }
  | { kind: "fail"; errcode: number | null; message: string };

/** The sending pipeline talks to WeChat only through this (lib/campaigns/wechat-messenger.ts). */
export interface Messenger {
  send(req: SendRequest): Promise<SendOutcome>;
}
