import { afterAll, beforeAll, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { wechatAccounts, wechatTokens } from "@/db/schema";
import { sealSecret } from "@/lib/crypto/secret-box";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { dbTokenProvider } from "./token-store";

let server: http.Server;
let base = "";
let fetches = 0;
let forced = 0;
let issued = 0;

beforeAll(async () => {
  process.env.QUNFA_SECRET_KEY = "token-store-test";
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      fetches++;
      if (JSON.parse(body || "{}").force_refresh) forced++;
      // WeChat takes a while: concurrent callers must wait for this one fetch, not start their own.
      const name = `TOKEN_${++issued}`;
      setTimeout(() => res.end(JSON.stringify({ access_token: name, expires_in: 7200 })), 150);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describeEachDriver("database token provider", (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(driver);
    await t.handle.db.insert(wechatAccounts).values({
      id: "acc1",
      name: "A",
      appid: "wx1234567890abcdef",
      type: "service",
      apiBaseUrl: base,
      appSecretEnc: sealSecret("0123456789abcdef0123456789abcdef", "account:acc1:appSecret"),
      callbackTokenEnc: sealSecret("tok", "account:acc1:callbackToken"),
    });
  });
  afterAll(async () => t?.dispose());

  it("concurrent callers in one process share one fetch; the token is stored sealed", async () => {
    fetches = 0;
    const p = dbTokenProvider(t.handle, "acc1");
    const got = await Promise.all(Array.from({ length: 8 }, () => p.getToken()));
    expect(fetches).toBe(1);
    expect(new Set(got).size).toBe(1);
    const first = got[0];
    const [row] = await t.handle.db.select().from(wechatTokens).where(eq(wechatTokens.accountId, "acc1"));
    expect(row.accessTokenEnc).not.toContain(first);
    expect(await p.getToken()).toBe(first);
    expect(fetches).toBe(1);
  });

  it("a refused token is replaced once, with force_refresh, and a stale 'bad' token does not refresh again", async () => {
    fetches = 0;
    forced = 0;
    const p = dbTokenProvider(t.handle, "acc1");
    const bad = await p.getToken();
    const [a, b] = await Promise.all([p.invalidate(bad), p.invalidate(bad)]);
    expect(a).toBe(b);
    expect(a).not.toBe(bad);
    expect(fetches).toBe(1);
    expect(forced).toBe(1);
    expect(await p.invalidate(bad)).toBe(a);
    expect(fetches).toBe(1);
  });

  it("a WeChat served by this process on the same database (the sandbox) can answer while a refresh waits for it", async () => {
    // The sandbox answers stable_token from the console's own database: a refresh that held the
    // database (PGlite has one connection) across its HTTP call would wait for itself until timeout.
    const local = http.createServer((req, res) => {
      req.resume();
      req.on("end", async () => {
        await t.handle.db.select().from(wechatAccounts).limit(1);
        res.end(JSON.stringify({ access_token: "LOCAL_TOKEN", expires_in: 7200 }));
      });
    });
    await new Promise<void>((r) => local.listen(0, "127.0.0.1", r));
    try {
      const port = (local.address() as AddressInfo).port;
      await t.handle.db
        .update(wechatAccounts)
        .set({ apiBaseUrl: `http://127.0.0.1:${port}` })
        .where(eq(wechatAccounts.id, "acc1"));
      await t.handle.db.delete(wechatTokens);
      const got = await Promise.race([
        dbTokenProvider(t.handle, "acc1").getToken(),
        new Promise<string>((_, reject) => setTimeout(() => reject(new Error("the refresh blocked its own WeChat")), 5000)),
      ]);
      expect(got).toBe("LOCAL_TOKEN");
    } finally {
      await t.handle.db.update(wechatAccounts).set({ apiBaseUrl: base }).where(eq(wechatAccounts.id, "acc1"));
      await t.handle.db.delete(wechatTokens);
      await new Promise<void>((r) => local.close(() => r()));
    }
  });

  if (driver === "pg") {
    it("two database connections (two processes' pools) refreshing at once fetch exactly once", async () => {
      await t.handle.db.delete(wechatTokens);
      fetches = 0;
      const other = await openDatabase({ databaseUrl: t.url!, migrate: false });
      try {
        const got = await Promise.all([
          ...Array.from({ length: 4 }, () => dbTokenProvider(t.handle, "acc1").getToken()),
          ...Array.from({ length: 4 }, () => dbTokenProvider(other, "acc1").getToken()),
        ]);
        expect(fetches).toBe(1);
        expect(new Set(got).size).toBe(1);
      } finally {
        await other.close();
      }
    });

    it("a refresh needs one connection: a pool of one does not starve while it holds the lock", async () => {
      await t.handle.db.delete(wechatTokens);
      fetches = 0;
      const before = process.env.QUNFA_DB_POOL_MAX;
      process.env.QUNFA_DB_POOL_MAX = "1";
      const tiny = await openDatabase({ databaseUrl: t.url!, migrate: false });
      if (before === undefined) delete process.env.QUNFA_DB_POOL_MAX;
      else process.env.QUNFA_DB_POOL_MAX = before;
      try {
        const got = await Promise.race([
          dbTokenProvider(tiny, "acc1").getToken(),
          new Promise<string>((_, reject) => setTimeout(() => reject(new Error("refresh starved its pool")), 5000)),
        ]);
        expect(got).toMatch(/^TOKEN_/);
        expect(fetches).toBe(1);
      } finally {
        await tiny.close();
      }
    });
  }
});
