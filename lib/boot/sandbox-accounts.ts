import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { wechatAccounts } from "@/db/schema";
import { createAccount } from "@/lib/accounts/account-service";
import { env } from "@/lib/config/env";
import { sandboxCredentials, seedSandbox, setSandboxCallback } from "@/lib/sandbox";

/**
 * On a fresh start the sandbox's two accounts are seeded and connected to the console (as accounts
 * whose API is the sandbox and whose callback URL is the console's own callback route), so
 * everything can be rehearsed at once. It lives with the boot, not in the sandbox: the simulated
 * WeChat knows nothing of the console's accounts.
 */
export async function ensureSandboxAccounts(db: Db, opts: { followers?: number } = {}) {
  await seedSandbox(db, opts);
  for (const c of sandboxCredentials()) {
    let [acc] = await db.select({ id: wechatAccounts.id }).from(wechatAccounts).where(eq(wechatAccounts.appid, c.appid));
    if (!acc) {
      acc = await createAccount(
        db,
        null,
        {
          name: c.name,
          appid: c.appid,
          appSecret: c.secret,
          type: c.type,
          verified: true,
          callbackToken: c.callbackToken,
          encodingAesKey: c.aesKey,
          messageMode: "safe",
          relayUrl: "",
          apiBaseUrl: `${env.internalUrl}/sandbox-api`,
          timezone: "Asia/Shanghai",
          requiresApproval: false,
        },
        { isSandbox: true },
      );
    } else {
      // The port may differ from the last start: keep the addresses pointing at this console.
      await db
        .update(wechatAccounts)
        .set({ apiBaseUrl: `${env.internalUrl}/sandbox-api` })
        .where(eq(wechatAccounts.id, acc.id));
    }
    await setSandboxCallback(db, c.appid, { url: `${env.internalUrl}/api/wechat/callback/${acc.id}` });
  }
}
