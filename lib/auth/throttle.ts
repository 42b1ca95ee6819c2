import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getDbHandle, type DbHandle } from "@/db/client";

// Every attempt is counted (atomically, by the store) BEFORE its password is checked: read-then-count
// let 200 parallel guesses all pass the read while the slow hash ran. Three keys:
// - the email, for clients we do not know: 5 attempts per 15 minutes whatever the number of
//   addresses the guesses come from;
// - the client address: 20 attempts per 15 minutes across all emails (password spraying);
// - a device that signed in to this email before (signed cookie, see device.ts): its own 10 per
//   15 minutes, so strangers' wrong guesses never lock a known device out.
export const SIGN_IN_LIMITS = {
  email: { points: 5, duration: 15 * 60 },
  client: { points: 20, duration: 15 * 60 },
  device: { points: 10, duration: 15 * 60 },
} as const;

export type LimiterName = keyof typeof SIGN_IN_LIMITS;
export type SignInLimiters = Record<LimiterName, RateLimiterAbstract>;

/** The three limiters on one database: PostgreSQL's table (shared by every instance), or memory on PGlite. */
export function makeSignInLimiters(h: DbHandle): SignInLimiters {
  const make = (name: LimiterName): RateLimiterAbstract => {
    const { points, duration } = SIGN_IN_LIMITS[name];
    const opts = { keyPrefix: `signin-${name}`, points, duration, blockDuration: duration };
    if (h.driver === "pg") {
      return new RateLimiterPostgres({ ...opts, storeClient: h.pool, storeType: "pool", tableName: "qunfa_rate_limits", tableCreated: true });
    }
    // PGlite is one process (the data folder is locked), so memory is the whole truth.
    return new RateLimiterMemory(opts);
  };
  return { email: make("email"), client: make("client"), device: make("device") };
}

type Global = typeof globalThis & { __qunfaSignInLimiters?: Promise<SignInLimiters> };
const g = globalThis as Global;

/** The process's limiters (one copy for every bundle that imports this module). */
export function signInLimiters(): Promise<SignInLimiters> {
  if (!g.__qunfaSignInLimiters) g.__qunfaSignInLimiters = getDbHandle().then(makeSignInLimiters);
  return g.__qunfaSignInLimiters;
}

/**
 * Takes one attempt from each key; 0 when every key had one left, else the seconds until the
 * longest-blocked key frees up. Points are spent even when refused: a blocked key stays blocked.
 */
export async function consumeAttempt(keys: { limiter: RateLimiterAbstract; key: string }[]): Promise<number> {
  let wait = 0;
  for (const r of await Promise.all(
    keys.map(({ limiter, key }) =>
      limiter.consume(key).then(
        () => null,
        (e: unknown) => e,
      ),
    ),
  )) {
    if (r === null) continue;
    if (r instanceof RateLimiterRes) wait = Math.max(wait, Math.ceil(r.msBeforeNext / 1000));
    else throw r;
  }
  return wait;
}
