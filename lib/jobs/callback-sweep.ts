import "server-only";
import type PgBoss from "pg-boss";
import type { DbHandle } from "@/db/client";
import { applyPendingFinishes, settleCompleteCampaigns } from "@/lib/campaigns/results";
import { pruneNonces } from "@/lib/callback/record";
import { env } from "@/lib/config/env";
import { startRepeating } from "./repeating";

const Q_CALLBACK_SWEEP = "callback-sweep";

/**
 * The callback's housekeeping: apply recorded MASSSENDJOBFINISH results that could not be applied
 * when they came (apply failed, or the push beat the worker storing msg_id), finish campaigns whose
 * every result is in, and drop nonces past the replay window. All three are idempotent.
 */
export async function startCallbackSweep(h: DbHandle, boss: PgBoss, everyMs = env.callbackSweepMs): Promise<{ stop(): Promise<void> }> {
  return startRepeating(boss, Q_CALLBACK_SWEEP, {
    everyMs,
    round: async () => {
      await applyPendingFinishes(h.db);
      await settleCompleteCampaigns(h.db);
      await pruneNonces(h.db);
    },
  });
}
