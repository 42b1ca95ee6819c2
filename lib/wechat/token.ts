import { z } from "zod";
import { callWeChat, type FetchLike } from "./http";

// The console's account form checks the appid's shape; here only that one is there.
const appidSchema = z.string().min(1).max(64);
export const tokenRequestSchema = z.object({ grant_type: z.literal("client_credential"), appid: appidSchema, secret: z.string().min(1) });
export const stableTokenRequestSchema = tokenRequestSchema.extend({ force_refresh: z.boolean() });

export const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/**
 * cgi-bin/token (each call invalidates the previous token after 5 minutes) or cgi-bin/stable_token
 * (the same token while valid; force_refresh limited to 20 a day). qunfa uses stable_token by
 * default so that another system using the same AppID does not invalidate ours.
 */
export async function fetchAccessToken(o: {
  baseUrl: string;
  appid: string;
  secret: string;
  mode?: "stable" | "classic";
  forceRefresh?: boolean;
  fetch?: FetchLike;
  timeoutMs?: number;
}): Promise<TokenResponse> {
  const http = { baseUrl: o.baseUrl, fetch: o.fetch, timeoutMs: o.timeoutMs };
  if ((o.mode ?? "stable") === "classic") {
    const query = tokenRequestSchema.parse({ grant_type: "client_credential", appid: o.appid, secret: o.secret });
    return callWeChat(http, { method: "GET", path: "cgi-bin/token", query }, tokenResponseSchema);
  }
  return callWeChat(
    http,
    {
      method: "POST",
      path: "cgi-bin/stable_token",
      json: stableTokenRequestSchema.parse({ grant_type: "client_credential", appid: o.appid, secret: o.secret, force_refresh: !!o.forceRefresh }),
    },
    tokenResponseSchema,
  );
}

/** Where the client gets its token; `invalidate` is called once after 40001/42001/40014 and returns a fresh one. */
export interface TokenProvider {
  getToken(): Promise<string>;
  invalidate(badToken: string): Promise<string>;
}

export function shouldRefresh(expiresAt: number, now: number, aheadSeconds: number): boolean {
  return expiresAt - now < aheadSeconds * 1000;
}

/**
 * A token kept in memory, refreshed ahead of expiry. Concurrent callers share one in-flight fetch.
 * (qunfa's own provider keeps the token in the database: lib/accounts/token-store.ts.)
 */
export function createMemoryTokenProvider(o: {
  fetchToken: (force: boolean) => Promise<TokenResponse>;
  refreshAheadSeconds?: number;
  now?: () => number;
}): TokenProvider {
  const now = o.now ?? Date.now;
  let current: { token: string; expiresAt: number } | null = null;
  let inflight: Promise<string> | null = null;
  const refresh = (force: boolean) => {
    if (!inflight) {
      inflight = o
        .fetchToken(force)
        .then((r) => {
          current = { token: r.access_token, expiresAt: now() + r.expires_in * 1000 };
          return r.access_token;
        })
        .finally(() => (inflight = null));
    }
    return inflight;
  };
  return {
    async getToken() {
      if (inflight) return inflight;
      if (current && !shouldRefresh(current.expiresAt, now(), o.refreshAheadSeconds ?? 300)) return current.token;
      return refresh(false);
    },
    async invalidate(bad) {
      if (inflight) return inflight;
      if (current && current.token !== bad) return current.token;
      return refresh(true);
    },
  };
}
