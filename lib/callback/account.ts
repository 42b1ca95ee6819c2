import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { wechatAccounts } from "@/db/schema";
import { openSecret } from "@/lib/crypto/secret-box";

/** What the callback route needs of an account, secrets opened. */
export interface CallbackAccount {
  id: string;
  appid: string;
  messageMode: "plaintext" | "compatible" | "safe";
  relayUrl: string | null;
  callbackToken: string;
  aesKey: string | null;
  aesKeyPrev: string | null;
  aesKeyChangedAt: Date | null;
}

// Opened secrets keyed by their sealed text: a sealed value never changes meaning, so this cache
// can never be stale (a changed token is a new ciphertext, read from the row on every request).
// It saves an HKDF and an AES-GCM open per secret per push on the hot path.
const opened = new Map<string, string>();
function open(sealed: string, purpose: string): string {
  const k = `${purpose}\u0000${sealed}`;
  let v = opened.get(k);
  if (v === undefined) {
    v = openSecret(sealed, purpose);
    if (opened.size >= 512) opened.clear();
    opened.set(k, v);
  }
  return v;
}

// Lookups in flight, per database and account: a push that comes while the account is being read
// for another push shares that read (WeChat's bursts hit one account). Nothing is kept after the
// read ends, so a changed token or key is seen by the next push.
const inFlight = new WeakMap<object, Map<string, Promise<CallbackAccount | null>>>();

/**
 * One query for the account and its sealed secrets (the route used to make two: the account view,
 * then its secrets), shared by concurrent pushes. Archived accounts receive nothing.
 */
export function loadCallbackAccount(db: DbOrTx, id: string): Promise<CallbackAccount | null> {
  let m = inFlight.get(db);
  if (!m) inFlight.set(db, (m = new Map()));
  const running = m.get(id);
  if (running) return running;
  const p = readCallbackAccount(db, id).finally(() => m.delete(id));
  m.set(id, p);
  return p;
}

async function readCallbackAccount(db: DbOrTx, id: string): Promise<CallbackAccount | null> {
  const [r] = await db
    .select({
      id: wechatAccounts.id,
      appid: wechatAccounts.appid,
      messageMode: wechatAccounts.messageMode,
      relayUrl: wechatAccounts.relayUrl,
      t: wechatAccounts.callbackTokenEnc,
      k: wechatAccounts.aesKeyEnc,
      p: wechatAccounts.aesKeyPrevEnc,
      c: wechatAccounts.aesKeyChangedAt,
    })
    .from(wechatAccounts)
    .where(and(eq(wechatAccounts.id, id), isNull(wechatAccounts.archivedAt)));
  if (!r) return null;
  return {
    id: r.id,
    appid: r.appid,
    messageMode: r.messageMode,
    relayUrl: r.relayUrl || null,
    callbackToken: open(r.t, `account:${id}:callbackToken`),
    aesKey: r.k ? open(r.k, `account:${id}:aesKey`) : null,
    aesKeyPrev: r.p ? open(r.p, `account:${id}:aesKey`) : null,
    aesKeyChangedAt: r.c,
  };
}
