import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getDbHandle } from "@/db/client";

// Keyed on the email being tried: a client can forge x-forwarded-for, but not make its guesses at
// one account count against another key. 5 failures in 15 minutes lock that email for 15 minutes.
const POINTS = 5;
const DURATION = 15 * 60;

type Global = typeof globalThis & { __qunfaSignInLimiter?: Promise<RateLimiterAbstract> };
const g = globalThis as Global;

async function limiter(): Promise<RateLimiterAbstract> {
  if (!g.__qunfaSignInLimiter) {
    g.__qunfaSignInLimiter = (async () => {
      const h = await getDbHandle();
      if (h.driver === "pg") {
        // Shared by every instance through the database (table made by our migrations).
        return new RateLimiterPostgres({ storeClient: h.pool, storeType: "pool", tableName: "qunfa_rate_limits", keyPrefix: "signin", points: POINTS, duration: DURATION, blockDuration: DURATION, tableCreated: true });
      }
      // PGlite is one process (the data folder is locked), so memory is the whole truth.
      return new RateLimiterMemory({ keyPrefix: "signin", points: POINTS, duration: DURATION, blockDuration: DURATION });
    })();
  }
  return g.__qunfaSignInLimiter;
}

/** Seconds until this email may try again, or 0. */
export async function signInBlockedFor(email: string): Promise<number> {
  const rl = await limiter();
  const r = await rl.get(email);
  if (r && r.consumedPoints >= POINTS) return Math.ceil(r.msBeforeNext / 1000);
  return 0;
}

export async function recordFailedSignIn(email: string): Promise<number> {
  const rl = await limiter();
  try {
    await rl.consume(email);
    return 0;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.ceil(e.msBeforeNext / 1000);
    throw e;
  }
}

export async function clearFailedSignIns(email: string): Promise<void> {
  const rl = await limiter();
  await rl.delete(email);
}
