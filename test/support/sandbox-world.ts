/**
 * The sandbox behind a local node:http server, its two accounts connected, and a WeChat client per
 * account: what lib/media and lib/news tests upload to.
 */
import { eq } from "drizzle-orm";
import { user, wechatAccounts } from "@/db/schema";
import { createTestDb, type Driver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import { ensureSandboxAccounts } from "@/lib/boot/sandbox-accounts";
import { sandboxCredentials } from "@/lib/sandbox";
import type { WeChatClient } from "@/lib/wechat";

export interface SandboxWorld {
  t: TestDb;
  server: { url: string; close(): Promise<void> };
  /** the service account and the subscription account */
  accountId: string;
  otherAccountId: string;
  client: WeChatClient;
  otherClient: WeChatClient;
  actor: { id: string; email: string };
  other: { id: string; email: string };
  close(): Promise<void>;
}

export async function sandboxWorld(driver: Driver): Promise<SandboxWorld> {
  process.env.QUNFA_SECRET_KEY ||= "media-news-test";
  const t = await createTestDb(driver);
  const server = await startTestServer(t.handle.db);
  process.env.QUNFA_INTERNAL_URL = server.url;
  await t.handle.db.insert(user).values([
    { id: "u-ed", name: "编辑小王", email: "ed@x.test", role: "editor" },
    { id: "u-li", name: "编辑小李", email: "li@x.test", role: "editor" },
  ]);
  await ensureSandboxAccounts(t.handle.db, { followers: 20 });
  const [svc, sub] = sandboxCredentials();
  const [a] = await t.handle.db.select().from(wechatAccounts).where(eq(wechatAccounts.appid, svc.appid));
  const [b] = await t.handle.db.select().from(wechatAccounts).where(eq(wechatAccounts.appid, sub.appid));
  return {
    t,
    server,
    accountId: a.id,
    otherAccountId: b.id,
    client: await getAccountClient(a.id, t.handle),
    otherClient: await getAccountClient(b.id, t.handle),
    actor: { id: "u-ed", email: "ed@x.test" },
    other: { id: "u-li", email: "li@x.test" },
    close: async () => {
      await server.close();
      await t.dispose();
    },
  };
}
