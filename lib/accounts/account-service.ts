import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "@/db/client";
import { wechatAccounts } from "@/db/schema";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import type { AccountFormValues } from "./schemas";
import { forgetCallbackAccount } from "./callback-account";
import { env } from "@/lib/config/env";
import { pointsInside, type Resolver } from "@/lib/net/public-fetch";

/** What pages may see of an account: never a secret, only whether one is set. */
export interface AccountView {
  id: string;
  name: string;
  appid: string;
  type: "subscription" | "service";
  verified: boolean;
  messageMode: "plaintext" | "compatible" | "safe";
  relayUrl: string | null;
  apiBaseUrl: string;
  isSandbox: boolean;
  timezone: string;
  requiresApproval: boolean;
  hasAppSecret: boolean;
  hasCallbackToken: boolean;
  hasAesKey: boolean;
  callbackVerifiedAt: Date | null;
  lastTestAt: Date | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
  createdAt: Date;
}

/** Server-only: what the WeChat client and the callback route need. */
export interface AccountSecrets {
  appSecret: string;
  callbackToken: string;
  aesKey: string | null;
  aesKeyPrev: string | null;
  aesKeyChangedAt: Date | null;
}

const viewColumns = {
  id: wechatAccounts.id,
  name: wechatAccounts.name,
  appid: wechatAccounts.appid,
  type: wechatAccounts.type,
  verified: wechatAccounts.verified,
  messageMode: wechatAccounts.messageMode,
  relayUrl: wechatAccounts.relayUrl,
  apiBaseUrl: wechatAccounts.apiBaseUrl,
  isSandbox: wechatAccounts.isSandbox,
  timezone: wechatAccounts.timezone,
  requiresApproval: wechatAccounts.requiresApproval,
  appSecretEnc: wechatAccounts.appSecretEnc,
  callbackTokenEnc: wechatAccounts.callbackTokenEnc,
  aesKeyEnc: wechatAccounts.aesKeyEnc,
  callbackVerifiedAt: wechatAccounts.callbackVerifiedAt,
  lastTestAt: wechatAccounts.lastTestAt,
  lastTestOk: wechatAccounts.lastTestOk,
  lastTestMessage: wechatAccounts.lastTestMessage,
  createdAt: wechatAccounts.createdAt,
};

type ViewRow = {
  [K in keyof typeof viewColumns]: (typeof viewColumns)[K]["_"]["data"] | ((typeof viewColumns)[K]["_"]["notNull"] extends true ? never : null);
};

function toView(r: ViewRow): AccountView {
  const { appSecretEnc, callbackTokenEnc, aesKeyEnc, ...rest } = r;
  return { ...rest, hasAppSecret: !!appSecretEnc, hasCallbackToken: !!callbackTokenEnc, hasAesKey: !!aesKeyEnc };
}

export function newAccountId(): string {
  return "a" + randomBytes(8).toString("hex");
}

export async function listAccounts(db: DbOrTx): Promise<AccountView[]> {
  const rows = await db.select(viewColumns).from(wechatAccounts).where(isNull(wechatAccounts.archivedAt)).orderBy(asc(wechatAccounts.createdAt));
  return rows.map(toView);
}

export async function getAccount(db: DbOrTx, id: string): Promise<AccountView | null> {
  const [r] = await db
    .select(viewColumns)
    .from(wechatAccounts)
    .where(and(eq(wechatAccounts.id, id), isNull(wechatAccounts.archivedAt)));
  return r ? toView(r) : null;
}

export async function getAccountSecrets(db: DbOrTx, id: string): Promise<AccountSecrets | null> {
  const [r] = await db
    .select({
      s: wechatAccounts.appSecretEnc,
      t: wechatAccounts.callbackTokenEnc,
      k: wechatAccounts.aesKeyEnc,
      p: wechatAccounts.aesKeyPrevEnc,
      c: wechatAccounts.aesKeyChangedAt,
    })
    .from(wechatAccounts)
    .where(eq(wechatAccounts.id, id));
  if (!r) return null;
  return {
    appSecret: openSecret(r.s, `account:${id}:appSecret`),
    callbackToken: openSecret(r.t, `account:${id}:callbackToken`),
    aesKey: r.k ? openSecret(r.k, `account:${id}:aesKey`) : null,
    aesKeyPrev: r.p ? openSecret(r.p, `account:${id}:aesKey`) : null,
    aesKeyChangedAt: r.c,
  };
}

export interface CreateAccountExtra {
  id?: string;
  isSandbox?: boolean;
}

/** How a relay URL is judged when saved: QUNFA_RELAY_PRIVATE, and (tests) the name lookup. */
export interface RelayRule {
  relayPrivateAllowed?: boolean;
  resolve?: Resolver;
}

/**
 * Pushes are forwarded to the relay URL from the console's own network, so one pointing at this
 * machine or a private network is refused when saved (as every forward to it is refused when
 * made), unless the operator allows private relays (QUNFA_RELAY_PRIVATE=on).
 */
async function checkRelayUrl(relayUrl: string, rule: RelayRule) {
  if (!relayUrl || (rule.relayPrivateAllowed ?? env.relayPrivateAllowed)) return;
  if (await pointsInside(relayUrl, rule.resolve)) throw new AccountChangeError("relayUrl", "relayNotPublic");
}

export async function createAccount(db: Db, actor: Actor | null, v: AccountFormValues, extra: CreateAccountExtra & RelayRule = {}): Promise<AccountView> {
  const id = extra.id ?? newAccountId();
  await checkRelayUrl(v.relayUrl, extra);
  return db.transaction(async (tx) => {
    await tx.insert(wechatAccounts).values({
      id,
      name: v.name,
      appid: v.appid,
      type: v.type,
      verified: v.verified,
      messageMode: v.messageMode,
      appSecretEnc: sealSecret(v.appSecret, `account:${id}:appSecret`),
      callbackTokenEnc: sealSecret(v.callbackToken, `account:${id}:callbackToken`),
      aesKeyEnc: v.encodingAesKey ? sealSecret(v.encodingAesKey, `account:${id}:aesKey`) : null,
      relayUrl: v.relayUrl || null,
      apiBaseUrl: v.apiBaseUrl,
      timezone: v.timezone,
      requiresApproval: v.requiresApproval,
      isSandbox: extra.isSandbox ?? false,
    });
    await writeAudit(tx, {
      actor,
      accountId: id,
      action: "account.create",
      entityType: "account",
      entityId: id,
      summary: {
        after: {
          name: v.name,
          appid: v.appid,
          type: v.type,
          verified: v.verified,
          messageMode: v.messageMode,
          apiBaseUrl: v.apiBaseUrl,
          relayUrl: v.relayUrl || null,
        },
      },
    });
    const view = await getAccount(tx, id);
    return view!;
  });
}

/** A change the account's rules refuse, on a form field (its message is `accounts.urlSecrets.<code>`). */
export class AccountChangeError extends Error {
  constructor(
    readonly field: "appSecret" | "relayUrl",
    readonly code: "secretForNewApiBaseUrl" | "relayNotPublic",
  ) {
    super(code);
  }
}

// The fields an admin edits in the clear: the audit records each change as old → new.
const PLAIN_FIELDS = ["name", "appid", "type", "verified", "messageMode", "relayUrl", "apiBaseUrl", "timezone", "requiresApproval"] as const;

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

export async function updateAccount(db: Db, actor: Actor, id: string, v: AccountFormValues, rule: RelayRule = {}): Promise<AccountView | null> {
  await checkRelayUrl(v.relayUrl, rule);
  const view = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(wechatAccounts).where(eq(wechatAccounts.id, id)).for("update");
    if (!before) return null;
    // The AppSecret is sent to the API base URL (to fetch access tokens). Pointing the account at
    // another host must not hand it the stored secret: whoever changes the address types the secret.
    // The callback token and the AES key are never sent anywhere (the relay forwards pushes as
    // received), so the relay URL needs no secret.
    const baseUrlChanged = !sameUrl(before.apiBaseUrl, v.apiBaseUrl);
    if (baseUrlChanged && !v.appSecret) throw new AccountChangeError("appSecret", "secretForNewApiBaseUrl");
    const patch: Partial<typeof wechatAccounts.$inferInsert> = {
      name: v.name,
      appid: v.appid,
      type: v.type,
      verified: v.verified,
      messageMode: v.messageMode,
      relayUrl: v.relayUrl || null,
      apiBaseUrl: v.apiBaseUrl,
      timezone: v.timezone,
      requiresApproval: v.requiresApproval,
      updatedAt: new Date(),
    };
    const changedSecrets: string[] = [];
    if (v.appSecret) {
      patch.appSecretEnc = sealSecret(v.appSecret, `account:${id}:appSecret`);
      changedSecrets.push("appSecret");
    }
    if (v.callbackToken) {
      patch.callbackTokenEnc = sealSecret(v.callbackToken, `account:${id}:callbackToken`);
      changedSecrets.push("callbackToken");
    }
    if (v.encodingAesKey) {
      // The old key stays usable for pushes already on their way (see lib/callback).
      patch.aesKeyPrevEnc = before.aesKeyEnc;
      patch.aesKeyEnc = sealSecret(v.encodingAesKey, `account:${id}:aesKey`);
      patch.aesKeyChangedAt = new Date();
      changedSecrets.push("encodingAesKey");
    }
    if (v.appSecret || v.appid !== before.appid || baseUrlChanged) {
      // A token fetched with the old credentials, or from another host, is no longer ours to use.
      const { wechatTokens } = await import("@/db/schema");
      await tx.delete(wechatTokens).where(eq(wechatTokens.accountId, id));
    }
    await tx.update(wechatAccounts).set(patch).where(eq(wechatAccounts.id, id));
    // Every field that changed: old → new in the clear, secrets only as "changed".
    const changes: Record<string, { from: unknown; to: unknown } | "changed"> = {};
    const norm = (k: (typeof PLAIN_FIELDS)[number], r: typeof before | AccountFormValues) => (k === "relayUrl" ? r.relayUrl || null : r[k]);
    for (const k of PLAIN_FIELDS) {
      const from = norm(k, before);
      const to = norm(k, v);
      if (from !== to) changes[k] = { from, to };
    }
    for (const k of changedSecrets) changes[k] = "changed";
    await writeAudit(tx, {
      actor,
      accountId: id,
      action: "account.update",
      entityType: "account",
      entityId: id,
      summary: { changes },
    });
    return getAccount(tx, id);
  });
  // The callback route keeps the token and keys of accounts it served; it must see these now.
  forgetCallbackAccount(id);
  return view;
}

export async function archiveAccount(db: Db, actor: Actor, id: string): Promise<boolean> {
  const archived = await db.transaction(async (tx) => {
    const r = await tx
      .update(wechatAccounts)
      .set({ archivedAt: new Date() })
      .where(and(eq(wechatAccounts.id, id), isNull(wechatAccounts.archivedAt)))
      .returning({ id: wechatAccounts.id, name: wechatAccounts.name });
    if (r.length === 0) return false;
    await writeAudit(tx, { actor, accountId: id, action: "account.archive", entityType: "account", entityId: id, summary: { name: r[0].name } });
    return true;
  });
  forgetCallbackAccount(id);
  return archived;
}

export async function recordCallbackVerified(db: DbOrTx, id: string): Promise<void> {
  await db.update(wechatAccounts).set({ callbackVerifiedAt: new Date() }).where(eq(wechatAccounts.id, id));
}

export async function recordConnectionTest(db: DbOrTx, id: string, ok: boolean, message: string): Promise<void> {
  await db.update(wechatAccounts).set({ lastTestAt: new Date(), lastTestOk: ok, lastTestMessage: message }).where(eq(wechatAccounts.id, id));
}
