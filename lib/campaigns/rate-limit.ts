import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { DbHandle } from "@/db/client";

/** WeChat refuses more than 60 mass-send requests a minute per account. */
export const DEFAULT_PER_MINUTE = 60;

export function spacingSeconds(perMinute: number): number {
  return (60 / perMinute) * 1.01;
}

type Global = typeof globalThis & { __qunfaMassLimiters?: Map<string, Promise<RateLimiterAbstract>> };
const g = globalThis as Global;

/**
 * The per-account mass-API limiter, shared by every process: in PostgreSQL (one table, one row per
 * account and window) on DATABASE_URL; in memory on PGlite, which only one process can open.
 *
 * It paces rather than counts: one request per (60 s / limit), with 1% to spare. A window of 60
 * points would let 60 requests through at the end of one minute and 60 more at the start of the
 * next, which WeChat, counting over its own minute, may refuse; spaced requests stay within the limit
 * over any 60-second span, however WeChat aligns its minute.
 */
export function massLimiter(h: DbHandle, perMinute = DEFAULT_PER_MINUTE): Promise<RateLimiterAbstract> {
  const key = `${h.driver}:${perMinute}:${h.pool ? "pool" : "lite"}`;
  g.__qunfaMassLimiters ??= new Map();
  const m = g.__qunfaMassLimiters;
  let p = m.get(key);
  if (!p) {
    p =
      h.driver === "pg"
        ? new Promise<RateLimiterAbstract>((resolve, reject) => {
            const rl: RateLimiterPostgres = new RateLimiterPostgres(
              { storeClient: h.pool, storeType: "pool", tableName: "qunfa_rate_limits", keyPrefix: `mass${perMinute}`, points: 1, duration: spacingSeconds(perMinute) },
              (err?: Error) => (err ? reject(err) : resolve(rl)),
            );
          })
        : Promise.resolve(new RateLimiterMemory({ keyPrefix: `mass${perMinute}`, points: 1, duration: spacingSeconds(perMinute) }));
    m.set(key, p);
  }
  return p;
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
