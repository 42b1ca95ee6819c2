import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";

type AccountModule = typeof import("./callback-account");
type ServiceModule = typeof import("@/lib/accounts/account-service");

// Next bundles a module once per entry: the server action that saves an account and the callback
// route each get their own copy of this module. Two fresh imports stand for the two bundles.
async function freshCopy(): Promise<{ account: AccountModule; service: ServiceModule }> {
  vi.resetModules();
  return { account: await import("./callback-account"), service: await import("@/lib/accounts/account-service") };
}

describeEachDriver("callback account cache across bundles", (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY = "callback-account-test";
    t = await createTestDb(driver);
  });
  afterAll(async () => t?.dispose());

  it("a token changed by the action's copy is used by the route's copy on the very next push", async () => {
    const route = await freshCopy();
    const action = await freshCopy();
    expect(route.account).not.toBe(action.account);
    const values = {
      name: "cache",
      appid: "wxcache0000000001",
      appSecret: "0123456789abcdef0123456789abcdef",
      type: "service" as const,
      verified: true,
      callbackToken: "firstToken",
      encodingAesKey: "",
      messageMode: "plaintext" as const,
      relayUrl: "",
      apiBaseUrl: "http://127.0.0.1:1",
      timezone: "Asia/Shanghai",
      requiresApproval: false,
    };
    const a = await action.service.createAccount(t.handle.db, null, values);
    expect((await route.account.loadCallbackAccount(t.handle.db, a.id))?.callbackToken).toBe("firstToken");
    await action.service.updateAccount(t.handle.db, { id: "u1", email: "admin@qunfa.test" }, a.id, {
      ...values,
      appSecret: "",
      callbackToken: "secondToken",
    });
    expect((await route.account.loadCallbackAccount(t.handle.db, a.id))?.callbackToken).toBe("secondToken");
  });
});
