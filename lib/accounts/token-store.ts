import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { wechatAccounts, wechatTokens } from "@/db/schema";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { fetchAccessToken, type TokenProvider } from "@/lib/wechat";
import { getAccountSecrets } from "./account-service";

// Refresh this long before WeChat's expiry, so a call never carries a token about to lapse.
const AHEAD_MS = 5 * 60 * 1000;
const inflight = new Map<string, Promise<string>>();

interface StoredToken {
  token: string;
  expiresAt: Date;
}

async function readStored(h: DbHandle, accountId: string): Promise<StoredToken | null> {
  const [r] = await h.db.select().from(wechatTokens).where(eq(wechatTokens.accountId, accountId));
  if (!r) return null;
  return { token: openSecret(r.accessTokenEnc, `token:${accountId}`), expiresAt: r.expiresAt };
}

async function fetchAndStore(h: DbHandle, accountId: string, forceRefresh: boolean): Promise<string> {
  const [acc] = await h.db
    .select({ appid: wechatAccounts.appid, apiBaseUrl: wechatAccounts.apiBaseUrl, tokenMode: wechatAccounts.tokenMode })
    .from(wechatAccounts)
    .where(eq(wechatAccounts.id, accountId));
  const secrets = await getAccountSecrets(h.db, accountId);
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
  await h.db
    .insert(wechatTokens)
    .values({ accountId, accessTokenEnc: enc, expiresAt, fetchedAt: new Date() })
    .onConflictDoUpdate({
      target: wechatTokens.accountId,
      set: { accessTokenEnc: enc, expiresAt, fetchedAt: new Date(), refreshCount: sql`${wechatTokens.refreshCount} + 1` },
    });
  return r.access_token;
}

/**
 * The refresh itself. On PostgreSQL the whole read-check-fetch-write runs under a transaction-level
 * advisory lock on a dedicated connection, so of all processes in a cluster exactly one fetches and
 * the others, waiting on the lock, read what it stored. PGlite is one process (its folder is
 * locked), so the in-process single-flight below is the whole story there.
 */
async function refresh(h: DbHandle, accountId: string, badToken: string | null): Promise<string> {
  // stable_token answers the same token while it is valid for WeChat's clock: when WeChat has just
  // refused the stored one, only force_refresh gets a new one (limited to 20 a day, so only then).
  const forceFor = (s: StoredToken | null) => s !== null && s.token === badToken;
  const needs = (s: StoredToken | null) => !s || s.expiresAt.getTime() - Date.now() < AHEAD_MS || s.token === badToken;
  if (h.driver === "pglite") {
    const s = await readStored(h, accountId);
    if (!needs(s)) return s!.token;
    return fetchAndStore(h, accountId, forceFor(s));
  }
  const client = await h.pool!.connect();
  try {
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(hashtext($1))", [`qunfa:token:${accountId}`]);
    const r = await client.query("select access_token_enc, expires_at from wechat_tokens where account_id = $1", [accountId]);
    const row = r.rows[0] as { access_token_enc: string; expires_at: Date } | undefined;
    const s = row ? { token: openSecret(row.access_token_enc, `token:${accountId}`), expiresAt: new Date(row.expires_at) } : null;
    let token: string;
    if (!needs(s)) token = s!.token;
    else token = await fetchAndStore(h, accountId, forceFor(s));
    await client.query("commit");
    return token;
  } catch (e) {
    await client.query("rollback").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

function singleFlight(key: string, fn: () => Promise<string>): Promise<string> {
  const cur = inflight.get(key);
  if (cur) return cur;
  const p = fn().finally(() => inflight.delete(key));
  inflight.set(key, p);
  return p;
}

/**
 * One access token per account, shared by every process through the database. Concurrent callers
 * in one process share one refresh; across processes they wait on the advisory lock.
 */
export function dbTokenProvider(h: DbHandle, accountId: string): TokenProvider {
  return {
    async getToken() {
      const s = await readStored(h, accountId);
      if (s && s.expiresAt.getTime() - Date.now() >= AHEAD_MS) return s.token;
      return singleFlight(accountId, () => refresh(h, accountId, null));
    },
    async invalidate(badToken: string) {
      // 40001/42001: the stored token is dead for WeChat. Refresh once, unless another caller
      // already replaced it (then the stored token differs from the bad one and is used).
      return singleFlight(accountId, () => refresh(h, accountId, badToken));
    },
  };
}
