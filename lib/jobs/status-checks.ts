import "server-only";
import type PgBoss from "pg-boss";
import type { DbHandle } from "@/db/client";
import { runStatusChecks } from "@/lib/campaigns/mass-status";
import { env } from "@/lib/config/env";
import { startRepeating } from "./repeating";

const Q_STATUS_CHECKS = "campaign-status-checks";

/**
 * A batch submitted longer ago than QUNFA_STATUS_CHECK_AFTER_S (default 10 minutes) with no
 * MASSSENDJOBFINISH yet: ask WeChat with message/mass/get (lib/campaigns/mass-status.ts). Each
 * batch at most every 5 minutes; a round every min(that wait, 30 s).
 */
export async function startStatusChecks(h: DbHandle, boss: PgBoss): Promise<{ stop(): Promise<void> }> {
  const afterMs = env.statusCheckAfterS * 1000;
  const everyMs = Math.min(afterMs, 30_000);
  let stopped = false;
  const repeating = await startRepeating(boss, Q_STATUS_CHECKS, {
    everyMs,
    firstAfterMs: everyMs,
    round: async () => void (await runStatusChecks(h, afterMs, () => stopped)),
  });
  return {
    async stop() {
      stopped = true;
      await repeating.stop();
    },
  };
}
