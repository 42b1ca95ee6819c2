import { and, eq, isNull } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { campaignBatches } from "@/db/schema";
import { applyPendingFinishFor, batchesAwaitingResult, settleCampaignResults } from "@/lib/callback/record";
import { refreshBatchStatus } from "@/lib/history/status";
import { env } from "@/lib/config/env";

/** message/mass/get's final statuses, as MASSSENDJOBFINISH's Status would have said them. */
const FINAL: Record<string, string> = { SEND_SUCCESS: "send success", SEND_FAIL: "send fail" };

/**
 * One batch with no MASSSENDJOBFINISH: asks message/mass/get and, when WeChat says the job is over
 * (SEND_SUCCESS / SEND_FAIL), records that as the batch's result and lets the campaign finish once
 * every batch has one (the same summing as the callback's, lib/callback/record.ts). mass/get gives
 * no counts (WeChat's 「高级群发接口」: only msg_id and msg_status), so only TotalCount is filled, for an OpenID-list
 * batch, where it is by definition the number of OpenIDs we sent; the others stay unknown. A
 * MASSSENDJOBFINISH that arrives later still overwrites the batch with WeChat's own counts.
 */
export async function checkBatchStatus(h: DbHandle, batchId: number): Promise<string | null> {
  // The callback may have come before the batch knew its msg_id (the answer to the first attempt was
  // lost and only the retry's 45065 named it): that recorded, unapplied MASSSENDJOBFINISH is the result.
  const [known] = await h.db.select({ accountId: campaignBatches.accountId, msgId: campaignBatches.msgId }).from(campaignBatches).where(eq(campaignBatches.id, batchId));
  if (known?.msgId && (await applyPendingFinishFor(h.db, known.accountId, known.msgId)) !== null) return "callback";
  const status = await refreshBatchStatus(h, batchId);
  const result = status ? FINAL[status] : undefined;
  if (!result) return status;
  await h.db.transaction(async (tx) => {
    const [b] = await tx
      .select({ campaignId: campaignBatches.campaignId, kind: campaignBatches.kind, recipientCount: campaignBatches.recipientCount })
      .from(campaignBatches)
      .where(and(eq(campaignBatches.id, batchId), isNull(campaignBatches.resultAt)))
      .for("update");
    // The callback got there first: its result (with counts) stands.
    if (!b) return;
    await tx
      .update(campaignBatches)
      .set({ resultStatus: result, resultAt: new Date(), totalCount: b.kind === "send" ? b.recipientCount : null })
      .where(eq(campaignBatches.id, batchId));
    await settleCampaignResults(tx, b.campaignId);
  });
  return status;
}

/** One round of checks: every batch submitted longer than `afterMs` ago with no result yet. */
export async function runStatusChecks(h: DbHandle, afterMs: number, stopped: () => boolean = () => false): Promise<number> {
  let checked = 0;
  for (const b of await batchesAwaitingResult(h.db, afterMs)) {
    if (stopped()) break;
    await checkBatchStatus(h, b.id).then(
      () => checked++,
      async (e: Error) => {
        await h.db.update(campaignBatches).set({ statusCheckedAt: new Date() }).where(eq(campaignBatches.id, b.id));
        console.warn(`[qunfa] status check of batch ${b.id} failed: ${e.message}`);
      },
    );
  }
  return checked;
}

/**
 * A batch submitted longer ago than QUNFA_STATUS_CHECK_AFTER_S (default 10 minutes) with no
 * MASSSENDJOBFINISH yet: ask WeChat with message/mass/get. Each batch at most every 5 minutes.
 */
export function startStatusChecks(h: DbHandle): { stop(): void } {
  const afterMs = env.statusCheckAfterS * 1000;
  let stopped = false;
  let running = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await runStatusChecks(h, afterMs, () => stopped);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), Math.min(afterMs, 30_000));
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
