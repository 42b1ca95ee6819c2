import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbHandle, DbOrTx } from "@/db/client";
import { wechatAccounts, wechatTokens } from "@/db/schema";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { fetchAccessToken, type TokenProvider } from "@/lib/wechat";
import { getAccountSecrets } from "./account-service";

// Refresh this long before WeChat's expiry, so a call never carries a token about to lapse.
const AHEAD_MS = 5 * 60 * 1000;
// Single-flight per database handle: two handles stand for two processes (as in the tests), and
// must meet only at the database's advisory lock, never in this process's memory.
const inflight = new WeakMap<DbHandle, Map<string, Promise<string>>>();

interface StoredToken {
  token: string;
  expiresAt: Date;
}

async function readStored(db: DbOrTx, accountId: string): Promise<StoredToken | null> {
  const [r] = await db.select().from(wechatTokens).where(eq(wechatTokens.accountId, accountId));
  if (!r) return null;
  return { token: openSecret(r.accessTokenEnc, `token:${accountId}`), expiresAt: r.expiresAt };
}

async function fetchAndStore(db: DbOrTx, accountId: string, forceRefresh: boolean): Promise<string> {
  const [acc] = await db
    .select({ appid: wechatAccounts.appid, apiBaseUrl: wechatAccounts.apiBaseUrl, tokenMode: wechatAccounts.tokenMode })
    .from(wechatAccounts)
    .where(eq(wechatAccounts.id, accountId));
  const secrets = await getAccountSecrets(db, accountId);
  if (!acc || !secrets) throw new Error(`account ${accountId} not found`);
  const r = await fetchAccessToken({
    baseUrl: acc.apiBaseUrl,
    appid: acc.appid,
    secret: secrets.appSecret,
    mode: acc.tokenMode,
    forceRefresh,
  });
  const expiresAt = new Date(Date.now() + r.expires_in * 1000);
  const enc = sealSecret(r.access_token, `token:${accountId}`);
  await db
    .insert(wechatTokens)
    .values({ accountId, accessTokenEnc: enc, expiresAt, fetchedAt: new Date() })
    .onConflictDoUpdate({
      target: wechatTokens.accountId,
      set: { accessTokenEnc: enc, expiresAt, fetchedAt: new Date(), refreshCount: sql`${wechatTokens.refreshCount} + 1` },
    });
  return r.access_token;
}

/**
 * The refresh itself: read-check-fetch-write in one transaction under a transaction-level advisory
 * lock, so of all processes in a cluster exactly one fetches and the others, waiting on the lock,
 * read what it stored. Everything runs on the transaction's one connection (a second pool connection
 * taken inside the lock could starve a small pool when many accounts refresh at once). PGlite is one
 * process (its folder is locked): the in-process single-flight is the whole story there.
 */
async function refresh(h: DbHandle, accountId: string, badToken: string | null): Promise<string> {
  // stable_token answers the same token while it is valid for WeChat's clock: when WeChat has just
  // refused the stored one, only force_refresh gets a new one (limited to 20 a day, so only then).
  const forceFor = (s: StoredToken | null) => s !== null && s.token === badToken;
  const needs = (s: StoredToken | null) => !s || s.expiresAt.getTime() - Date.now() < AHEAD_MS || s.token === badToken;
  if (h.driver === "pglite") {
    // PGlite has one connection: a transaction held across the HTTP call would block the sandbox
    // (served by this same process and database) from answering it.
    const s = await readStored(h.db, accountId);
    if (!needs(s)) return s!.token;
    return fetchAndStore(h.db, accountId, forceFor(s));
  }
  return h.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`qunfa:token:${accountId}`}))`);
    const s = await readStored(tx, accountId);
    if (!needs(s)) return s!.token;
    return fetchAndStore(tx, accountId, forceFor(s));
  });
}

function singleFlight(h: DbHandle, key: string, fn: () => Promise<string>): Promise<string> {
  let m = inflight.get(h);
  if (!m) inflight.set(h, (m = new Map()));
  const cur = m.get(key);
  if (cur) return cur;
  const p = fn().finally(() => m.delete(key));
  m.set(key, p);
  return p;
}

/**
 * How long a provider keeps the token it read, decrypted, before reading the stored one again.
 * A sending pipeline asks for the token before every request (100 a minute and more); reading and
 * decrypting it each time was a database round trip per batch. Another process may replace the
 * stored token meanwhile: WeChat keeps the previous one valid for 5 minutes after a refresh, and
 * a token it refuses (40001/42001) is dropped here at once and the stored one read again
 * (invalidate), so a kept copy never outlives its use.
 */
const TOKEN_KEEP_MS = 30_000;

/**
 * One access token per account, shared by every process through the database. Concurrent callers
 * in one process share one refresh; across processes they wait on the advisory lock. Each provider
 * keeps the token it last read for TOKEN_KEEP_MS (a long-lived provider: the pipeline's, one per
 * account per worker).
 */
export function dbTokenProvider(h: DbHandle, accountId: string): TokenProvider {
  let kept: (StoredToken & { readAt: number }) | null = null;
  const fresh = (s: StoredToken | null) => s !== null && s.expiresAt.getTime() - Date.now() >= AHEAD_MS;
  return {
    async getToken() {
      if (kept && Date.now() - kept.readAt < TOKEN_KEEP_MS && fresh(kept)) return kept.token;
      kept = null;
      let s = await readStored(h.db, accountId);
      if (!fresh(s)) {
        await singleFlight(h, accountId, () => refresh(h, accountId, null));
        s = await readStored(h.db, accountId);
        if (!s) throw new Error(`account ${accountId}: no access token stored after a refresh`);
      }
      kept = { ...s!, readAt: Date.now() };
      return s!.token;
    },
    async invalidate(badToken: string) {
      // 40001/42001: the stored token is dead for WeChat. Refresh once, unless another caller
      // already replaced it (then the stored token differs from the bad one and is used).
      kept = null;
      return singleFlight(h, accountId, () => refresh(h, accountId, badToken));
    },
  };
}
