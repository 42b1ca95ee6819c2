import type { MassSendJobFinishEvent } from "@/lib/wechat";

/** WeChat's copyright check of a news send, as MASSSENDJOBFINISH's CopyrightCheckResult carries it. */
export interface CopyrightResult {
  CheckState?: number;
  Count?: number;
  ResultList?: Record<string, number | string>[];
}

export interface ArticleUrl {
  idx: number;
  url: string;
}

/**
 * How one batch's mass-send job ended, whoever told us: a MASSSENDJOBFINISH push (status, counts,
 * copyright, article URLs) or message/mass/get (a final status only). The same shape is parsed from
 * the push, built from mass/get's answer, stored on the batch row and read by the campaign page.
 */
export interface JobResult {
  /** MASSSENDJOBFINISH's Status: "send success", "send fail", "err(…)" */
  status: string;
  totalCount: number | null;
  filterCount: number | null;
  sentCount: number | null;
  errorCount: number | null;
  copyright: CopyrightResult | null;
  articleUrls: ArticleUrl[];
}

/** A result that failed as a whole (anything but "send success"). */
export const jobFailed = (r: Pick<JobResult, "status">) => r.status !== "send success";

/** The result fields of a parsed MASSSENDJOBFINISH (as the callback parses it, and as stored in its event's `parsed`). */
export function jobResultOfPush(
  p: Pick<MassSendJobFinishEvent, "Status" | "TotalCount" | "FilterCount" | "SentCount" | "ErrorCount" | "CopyrightCheckResult" | "ArticleUrlResult">,
): JobResult {
  return {
    status: p.Status,
    totalCount: p.TotalCount,
    filterCount: p.FilterCount,
    sentCount: p.SentCount,
    errorCount: p.ErrorCount,
    copyright: (p.CopyrightCheckResult as unknown as CopyrightResult | null) ?? null,
    articleUrls: (p.ArticleUrlResult?.ResultList ?? []).map((r) => ({ idx: r.ArticleIdx, url: r.ArticleUrl })),
  };
}

/** message/mass/get's final statuses, as MASSSENDJOBFINISH's Status would have said them. */
const FINAL: Record<string, string> = { SEND_SUCCESS: "send success", SEND_FAIL: "send fail" };

/**
 * message/mass/get's answer as a result, when it says the job is over (SEND_SUCCESS / SEND_FAIL);
 * null while it is still sending (or was deleted). mass/get gives no counts (WeChat's 群发接口
 * document, 查询群发消息发送状态: only msg_id and msg_status), so only the total is known, for an
 * OpenID-list batch, where it is by definition the number of OpenIDs we sent.
 */
export function jobResultOfMassStatus(msgStatus: string, batch: { kind: "sendall" | "send"; recipientCount: number | null }): JobResult | null {
  const status = FINAL[msgStatus];
  if (!status) return null;
  return {
    status,
    totalCount: batch.kind === "send" ? batch.recipientCount : null,
    filterCount: null,
    sentCount: null,
    errorCount: null,
    copyright: null,
    articleUrls: [],
  };
}
