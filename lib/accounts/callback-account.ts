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

// The account as the route last read it, per database handle. A push needs the token and keys on
// every request, and a query per push was most of the route's database time under a burst; the
// cache is only a hint: the route reads the row again before it refuses anything it verified with
// a cached account (handle.ts), so a changed token, key or mode is never the cause of a refusal.
// Changes made in this process drop the entry at once (forgetCallbackAccount after the commit,
// whichever bundle's copy of this module makes it);
// another instance's change is seen within FRESH_MS. What a stale entry can still do for that
// long: relay a push to the previous relay URL, or accept a push for an account just archived.
const FRESH_MS = 5_000;
interface Entry {
  at: number;
  epoch: number;
  value: Promise<CallbackAccount | null>;
}
// Bumped by forgetCallbackAccount. A read that began before a bump is not trusted after it, so a
// read racing an update's commit cannot put the old row back for FRESH_MS.
// Both live on globalThis: Next bundles this module once for the server actions and again for the
// callback route, and with module-level maps an account saved by an action stayed stale in the
// route's copy for FRESH_MS. One process, one cache.
type Global = typeof globalThis & { __qunfaCallbackAccounts?: { cache: WeakMap<object, Map<string, Entry>>; epochs: Map<string, number> } };
const shared = ((globalThis as Global).__qunfaCallbackAccounts ??= { cache: new WeakMap(), epochs: new Map() });
const cache = shared.cache;
const epochs = shared.epochs;

/** Drops every cached copy of the account (call after the change has committed). */
export function forgetCallbackAccount(id: string) {
  epochs.set(id, (epochs.get(id) ?? 0) + 1);
}

/**
 * The account for a push: cached for FRESH_MS, shared by concurrent pushes while it is read (one
 * query for the account and its sealed secrets). `fresh` reads the row whatever is cached.
 * Archived and unknown accounts are null, and null is never cached.
 */
export function loadCallbackAccount(db: DbOrTx, id: string, opts: { fresh?: boolean } = {}): Promise<CallbackAccount | null> {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  const epoch = epochs.get(id) ?? 0;
  const hit = m.get(id);
  if (!opts.fresh && hit && hit.epoch === epoch && Date.now() - hit.at < FRESH_MS) return hit.value;
  const entry: Entry = { at: Date.now(), epoch, value: readCallbackAccount(db, id) };
  m.set(id, entry);
  const map = m;
  entry.value.then(
    (v) => {
      if (v === null && map.get(id) === entry) map.delete(id);
    },
    () => {
      if (map.get(id) === entry) map.delete(id);
    },
  );
  return entry.value;
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
