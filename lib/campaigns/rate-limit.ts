import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { DbHandle } from "@/db/client";

/** WeChat refuses more than 60 mass-send requests a minute per account. */
export const DEFAULT_PER_MINUTE = 60;

export function spacingSeconds(perMinute: number): number {
  // Whole milliseconds: the PostgreSQL store keeps expiry times as bigint.
  return Math.ceil((60_000 / perMinute) * 1.01) / 1000;
}

// One limiter per database handle and limit: the PostgreSQL one counts in the shared table, so every
// process using that database shares it; the PGlite one is this process's own (the only one).
const limiters = new WeakMap<DbHandle, Map<number, RateLimiterAbstract>>();

export function massLimiter(h: DbHandle, perMinute = DEFAULT_PER_MINUTE): RateLimiterAbstract {
  let byLimit = limiters.get(h);
  if (!byLimit) limiters.set(h, (byLimit = new Map()));
  let rl = byLimit.get(perMinute);
  if (!rl) {
    rl =
      h.driver === "pg"
        ? // The table comes from our migrations (db/schema/rate-limits.ts), so nothing is created here.
          new RateLimiterPostgres({ storeClient: h.pool, storeType: "pool", tableName: "qunfa_rate_limits", keyPrefix: `mass${perMinute}`, points: 1, duration: spacingSeconds(perMinute), tableCreated: true })
        : new RateLimiterMemory({ keyPrefix: `mass${perMinute}`, points: 1, duration: spacingSeconds(perMinute) });
    byLimit.set(perMinute, rl);
  }
  return rl;
}

/** Waits until the account may make one more mass request, then takes it. */
export async function takeMassSlot(limiter: RateLimiterAbstract, accountId: string, signal?: { stopped: boolean }): Promise<void> {
  for (;;) {
    try {
      await limiter.consume(accountId, 1);
      return;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      if (signal?.stopped) throw new Error("stopped");
      await new Promise((r) => setTimeout(r, Math.min(Math.max(e.msBeforeNext, 1) + 2, 5_000)));
    }
  }
}
