import type { DbHandle } from "@/db/client";
import { applyPendingFinishes, pruneNonces, settleCompleteCampaigns } from "./record";
import { env } from "@/lib/config/env";

/**
 * The callback's housekeeping, in every worker process: apply recorded MASSSENDJOBFINISH results
 * that could not be applied when they came (apply failed, or the push beat the worker storing
 * msg_id), finish campaigns whose every result is in, and drop nonces past the replay window. Both are idempotent, so several processes
 * running it against one database do no harm.
 */
export function startCallbackMaintenance(h: DbHandle, everyMs = env.callbackSweepMs): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await applyPendingFinishes(h.db);
      await settleCompleteCampaigns(h.db);
      await pruneNonces(h.db);
    } catch (e) {
      console.warn(`[qunfa] callback maintenance failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
