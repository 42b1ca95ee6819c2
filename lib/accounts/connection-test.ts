import "server-only";
import { getTranslations } from "next-intl/server";
import { getLocale } from "next-intl/server";
import type { Db } from "@/db/client";
import { getDbHandle } from "@/db/client";
import { wechatTokens } from "@/db/schema";
import { eq } from "drizzle-orm";
import { WeChatApiError, WeChatTransportError, describeError } from "@/lib/wechat";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { toLocale } from "@/lib/i18n/locales";
import { getAccount, recordConnectionTest } from "./account-service";
import { dbTokenProvider } from "./token-store";

/**
 * "Test connection": fetches a fresh access token with the stored credentials. A wrong appid/secret
 * comes back as WeChat's errcode with its meaning; 40164 tells the admin to whitelist the server's IP.
 */
export async function testAccountConnection(db: Db, actor: Actor, accountId: string): Promise<{ ok: boolean; message: string }> {
  const t = await getTranslations("accounts");
  const locale = toLocale(await getLocale());
  const account = await getAccount(db, accountId);
  if (!account) return { ok: false, message: t("notFound") };
  const h = await getDbHandle();
  let result: { ok: boolean; message: string };
  try {
    // Drop the cached token so this really asks WeChat.
    await db.delete(wechatTokens).where(eq(wechatTokens.accountId, accountId));
    await dbTokenProvider(h, accountId).getToken();
    const [row] = await db.select({ expiresAt: wechatTokens.expiresAt }).from(wechatTokens).where(eq(wechatTokens.accountId, accountId));
    const seconds = row ? Math.max(0, Math.round((row.expiresAt.getTime() - Date.now()) / 1000)) : 0;
    result = { ok: true, message: t("testOk", { seconds }) };
  } catch (e) {
    // WeChat's errcodes and transport failures (timeout, network, non-JSON, schema) in the admin's
    // language; anything else is a fault of ours, logged, and reported without internals.
    const known = e instanceof WeChatApiError || e instanceof WeChatTransportError;
    if (!known) console.error("[qunfa] connection test failed", e);
    const text = known ? describeError(e, locale) : t("testUnexpected");
    result = { ok: false, message: t("testFailed", { message: text }) };
  }
  await db.transaction(async (tx) => {
    await recordConnectionTest(tx, accountId, result.ok, result.message);
    await writeAudit(tx, { actor, accountId, action: "account.test-connection", entityType: "account", entityId: accountId, summary: result });
  });
  return result;
}
