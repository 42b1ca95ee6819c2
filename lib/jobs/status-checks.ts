import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { campaignBatches } from "@/db/schema";
import { batchesAwaitingResult } from "@/lib/callback/record";
import { refreshBatchStatus } from "@/lib/history/status";

/**
 * A batch submitted longer ago than QUNFA_STATUS_CHECK_AFTER_S (default 10 minutes) with no
 * MASSSENDJOBFINISH yet: ask WeChat with message/mass/get. Each batch at most every 5 minutes.
 */
export function startStatusChecks(h: DbHandle): { stop(): void } {
  const afterMs = Number(process.env.QUNFA_STATUS_CHECK_AFTER_S || 600) * 1000;
  let stopped = false;
  let running = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      for (const b of await batchesAwaitingResult(h.db, afterMs)) {
        if (stopped) break;
        await refreshBatchStatus(h, b.id).catch(async (e: Error) => {
          await h.db.update(campaignBatches).set({ statusCheckedAt: new Date() }).where(eq(campaignBatches.id, b.id));
          console.warn(`[qunfa] status check of batch ${b.id} failed: ${e.message}`);
        });
      }
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
