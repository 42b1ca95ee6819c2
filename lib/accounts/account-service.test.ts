import { afterAll, beforeAll, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, desc, eq } from "drizzle-orm";
import { auditLog, wechatAccounts, wechatTokens } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { AccountChangeError, createAccount, updateAccount } from "./account-service";
import { dbTokenProvider } from "./token-store";
import type { AccountFormValues } from "./schemas";

// Two WeChat stand-ins: the real one the account uses, and a host an admin points it at. Each
// records the secrets it was sent.
function fakeWeChat() {
  const secrets: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://x");
      const fromBody = body ? (JSON.parse(body) as { secret?: string }).secret : undefined;
      secrets.push(fromBody ?? u.searchParams.get("secret") ?? "");
      res.end(JSON.stringify({ access_token: `T${secrets.length}`, expires_in: 7200 }));
    });
  });
  return {
    secrets,
    server,
    async start() {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
  };
}

const SECRET = "0123456789abcdef0123456789abcdef";
const NEW_SECRET = "fedcba9876543210fedcba9876543210";
const admin = { id: "admin-1", email: "admin@qunfa.test" };

describeEachDriver("account changes and where secrets go", (driver) => {
  let t: TestDb;
  const real = fakeWeChat();
  const evil = fakeWeChat();
  let realUrl = "";
  let evilUrl = "";
  let id = "";
  let values: AccountFormValues;

  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY = "account-service-test";
    t = await createTestDb(driver);
    realUrl = await real.start();
    evilUrl = await evil.start();
    values = {
      name: "Main",
      appid: "wxacct000000000001",
      appSecret: SECRET,
      type: "service",
      verified: true,
      callbackToken: "cbToken1",
      encodingAesKey: "",
      messageMode: "plaintext",
      relayUrl: "",
      apiBaseUrl: realUrl,
      timezone: "Asia/Shanghai",
      requiresApproval: false,
    };
    id = (await createAccount(t.handle.db, admin, values)).id;
    // A token in the cache, fetched from the real host with the stored secret.
    await dbTokenProvider(t.handle, id).getToken();
    expect(real.secrets).toEqual([SECRET]);
  });
  afterAll(async () => {
    real.server.close();
    evil.server.close();
    await t?.dispose();
  });

  const lastAudit = async () =>
    (
      await t.handle.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, id), eq(auditLog.action, "account.update")))
        .orderBy(desc(auditLog.id))
        .limit(1)
    )[0];
  const tokens = async () => t.handle.db.select().from(wechatTokens).where(eq(wechatTokens.accountId, id));

  it("pointing the API base URL elsewhere with the secret left blank is refused on the secret's field, and nothing changes", async () => {
    const err = await updateAccount(t.handle.db, admin, id, { ...values, appSecret: "", callbackToken: "", apiBaseUrl: evilUrl }).catch((e) => e);
    expect(err).toBeInstanceOf(AccountChangeError);
    expect(err).toMatchObject({ field: "appSecret", code: "secretForNewApiBaseUrl" });
    const [row] = await t.handle.db.select().from(wechatAccounts).where(eq(wechatAccounts.id, id));
    expect(row.apiBaseUrl).toBe(realUrl);
    expect(await lastAudit()).toBeUndefined();
    // "Test connection" afterwards asks the saved host, and the other host never hears of the secret.
    await t.handle.db.delete(wechatTokens).where(eq(wechatTokens.accountId, id));
    await dbTokenProvider(t.handle, id).getToken();
    expect(real.secrets.at(-1)).toBe(SECRET);
    expect(evil.secrets).toEqual([]);
  });

  it("the same URL written differently is no change of address", async () => {
    await updateAccount(t.handle.db, admin, id, { ...values, appSecret: "", callbackToken: "", apiBaseUrl: `${realUrl}/`, name: "Main 2" });
    const a = await lastAudit();
    expect(a.summary).toEqual({ changes: { name: { from: "Main", to: "Main 2" }, apiBaseUrl: { from: realUrl, to: `${realUrl}/` } } });
    // Neither credentials nor host changed: the cached token stays.
    expect(await tokens()).toHaveLength(1);
    values = { ...values, name: "Main 2", apiBaseUrl: `${realUrl}/` };
  });

  it("with the secret typed again the address changes, the audit says so, and the old host's token is dropped", async () => {
    await updateAccount(t.handle.db, admin, id, {
      ...values,
      appSecret: NEW_SECRET,
      callbackToken: "",
      apiBaseUrl: evilUrl,
      relayUrl: "https://relay.example/wx",
    });
    const a = await lastAudit();
    expect(a.actorEmail).toBe(admin.email);
    expect(a.summary).toEqual({
      changes: {
        relayUrl: { from: null, to: "https://relay.example/wx" },
        apiBaseUrl: { from: `${realUrl}/`, to: evilUrl },
        appSecret: "changed",
      },
    });
    expect(JSON.stringify(a.summary)).not.toContain(NEW_SECRET);
    expect(await tokens()).toHaveLength(0);
    await dbTokenProvider(t.handle, id).getToken();
    // The new host got what was typed for it, never the stored secret.
    expect(evil.secrets).toEqual([NEW_SECRET]);
  });
});

describeEachDriver("a relay URL into this machine or a private network is refused when saved", (driver) => {
  let t: TestDb;
  let values: AccountFormValues;
  let id = "";
  // Names resolve to chosen addresses, as a DNS server could answer them.
  const names: Record<string, string[]> = {
    "relay.corp.example": ["10.1.2.3"],
    "rebind.example": ["93.184.216.34", "127.0.0.1"],
    "relay.public.example": ["93.184.216.34"],
  };
  const resolve = async (host: string) => {
    if (!names[host]) throw new Error("ENOTFOUND");
    return names[host];
  };
  const relayOf = async () => (await t.handle.db.select({ r: wechatAccounts.relayUrl }).from(wechatAccounts).where(eq(wechatAccounts.id, id)))[0].r;

  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY = "account-service-test";
    t = await createTestDb(driver);
    values = {
      name: "Relay",
      appid: "wxacct000000000002",
      appSecret: SECRET,
      type: "service",
      verified: true,
      callbackToken: "token123",
      encodingAesKey: "",
      messageMode: "plaintext",
      relayUrl: "",
      apiBaseUrl: "https://api.weixin.qq.com",
      timezone: "Asia/Shanghai",
      requiresApproval: false,
    };
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const refused = [
    "http://127.0.0.1:3000/wx",
    "http://localhost/wx",
    "http://app.localhost/wx",
    "http://[::1]/wx",
    "http://[::ffff:127.0.0.1]:8080/",
    "http://2130706433/",
    "http://169.254.169.254/latest/meta-data",
    "http://192.168.1.10/wx",
    "https://relay.corp.example/wx",
    "https://rebind.example/wx",
  ];

  it("on creation: each such address fails on the relay URL's field and no account is made", async () => {
    for (const relayUrl of refused) {
      const err = await createAccount(t.handle.db, admin, { ...values, relayUrl }, { resolve, relayPrivateAllowed: false }).catch((e) => e);
      expect(err, relayUrl).toBeInstanceOf(AccountChangeError);
      expect(err, relayUrl).toMatchObject({ field: "relayUrl", code: "relayNotPublic" });
    }
    expect(await t.handle.db.$count(wechatAccounts)).toBe(0);
    id = (await createAccount(t.handle.db, admin, { ...values, relayUrl: "https://relay.public.example/wx" }, { resolve, relayPrivateAllowed: false })).id;
    expect(await relayOf()).toBe("https://relay.public.example/wx");
  });

  it("on edit: refused the same way and nothing changes; a public address, an unknown name or none is saved", async () => {
    for (const relayUrl of refused) {
      const err = await updateAccount(
        t.handle.db,
        admin,
        id,
        { ...values, appSecret: "", callbackToken: "", relayUrl },
        { resolve, relayPrivateAllowed: false },
      ).catch((e) => e);
      expect(err, relayUrl).toMatchObject({ field: "relayUrl", code: "relayNotPublic" });
    }
    expect(await relayOf()).toBe("https://relay.public.example/wx");
    expect(await t.handle.db.$count(auditLog, and(eq(auditLog.entityId, id), eq(auditLog.action, "account.update")))).toBe(0);
    // A name that does not resolve now is checked again at each forward, so it is not refused here.
    await updateAccount(
      t.handle.db,
      admin,
      id,
      { ...values, appSecret: "", callbackToken: "", relayUrl: "https://not-yet.example/wx" },
      { resolve, relayPrivateAllowed: false },
    );
    expect(await relayOf()).toBe("https://not-yet.example/wx");
    await updateAccount(t.handle.db, admin, id, { ...values, appSecret: "", callbackToken: "", relayUrl: "" }, { resolve, relayPrivateAllowed: false });
    expect(await relayOf()).toBeNull();
  });

  it("an operator who allows private relays (QUNFA_RELAY_PRIVATE=on) can save one", async () => {
    await updateAccount(
      t.handle.db,
      admin,
      id,
      { ...values, appSecret: "", callbackToken: "", relayUrl: "http://192.168.1.10/wx" },
      { resolve, relayPrivateAllowed: true },
    );
    expect(await relayOf()).toBe("http://192.168.1.10/wx");
    process.env.QUNFA_RELAY_PRIVATE = "on";
    try {
      await updateAccount(t.handle.db, admin, id, { ...values, appSecret: "", callbackToken: "", relayUrl: "http://127.0.0.1:9000/wx" });
    } finally {
      delete process.env.QUNFA_RELAY_PRIVATE;
    }
    expect(await relayOf()).toBe("http://127.0.0.1:9000/wx");
    const err = await updateAccount(t.handle.db, admin, id, { ...values, appSecret: "", callbackToken: "", relayUrl: "http://127.0.0.1:9001/wx" }).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ field: "relayUrl", code: "relayNotPublic" });
  });
});
