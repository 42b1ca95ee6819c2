import "server-only";
import { getDbHandle, type DbHandle } from "@/db/client";
import { createWeChatClient, type WeChatClient } from "@/lib/wechat";
import { getAccount } from "./account-service";
import { dbTokenProvider } from "./token-store";
import { env } from "@/lib/config/env";

/** A WeChat client for one account: its base URL (WeChat or the sandbox) and the shared token. */
export async function getAccountClient(accountId: string, handle?: DbHandle): Promise<WeChatClient> {
  const h = handle ?? (await getDbHandle());
  const account = await getAccount(h.db, accountId);
  if (!account) throw new Error(`account ${accountId} not found`);
  return createWeChatClient({ baseUrl: account.apiBaseUrl, tokenProvider: dbTokenProvider(h, accountId), timeoutMs: env.wechatTimeoutMs });
}
