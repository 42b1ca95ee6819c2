import type { JobResult } from "./job-result";

// The campaign page's read model (read by campaign-live.ts on the server). This file has no
// server imports, so the page's client components can use its shape and `isLive`.

export interface LiveBatch {
  id: number;
  seq: number;
  clientMsgId: string;
  state: string;
  msgId: string | null;
  msgDataId: string | null;
  submittedAt: string | null;
  errcode: number | null;
  errmsg: string | null;
  /** message/mass/get's msg_status, or what the job's result implies */
  wechatStatus: string | null;
  /** Articles deleted one by one from this send (message/mass/delete with article_idx). */
  deletedArticles: number[];
  /** How the job ended (MASSSENDJOBFINISH or message/mass/get), once WeChat has said it. */
  result: (JobResult & { at: string }) | null;
}

/**
 * Everything the campaign page shows of a send, from one read of the campaign and one of its
 * batches: its state, progress (counts, pace, time left), totals and every batch's answer and
 * result. The page renders it and its poller refreshes it from the progress route.
 */
export interface CampaignLive {
  state: string;
  pausedReason: string | null;
  lastError: string | null;
  counts: { total: number; submitted: number; failed: number; pending: number; cancelled: number; withResult: number };
  recipients: { total: number | null; submitted: number };
  /** batches submitted in the last minute */
  ratePerMinute: number;
  /** Time left, once at least one batch is submitted (before that there is nothing to base it on). */
  etaSeconds: number | null;
  totals: { total: number | null; filter: number | null; sent: number | null; error: number | null };
  batches: LiveBatch[];
}

/** While anything can still change: the campaign runs, or a batch waits to be sent or for its result. */
export function isLive(l: Pick<CampaignLive, "state" | "batches">): boolean {
  return (
    ["sending", "paused", "submitted"].includes(l.state) ||
    l.batches.some((b) => b.state === "pending" || b.state === "submitting" || (b.state === "submitted" && !b.result))
  );
}
