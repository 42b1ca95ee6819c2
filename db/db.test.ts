import { afterAll, beforeAll, expect, it } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { auditLog, user, wechatAccounts } from "@/db/schema";
import { queryRows, sql } from "@/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";

describeEachDriver("migrations and queries", (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(driver);
  });
  afterAll(async () => t?.dispose());

  it("creates every table of the schema", async () => {
    const rows = await queryRows<{ table_name: string }>(
      t.handle.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = rows.map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining(["user", "session", "auth_accounts", "verification", "invitation", "wechat_accounts", "wechat_tokens", "audit_log"]),
    );
  });

  it("runs the same typed queries, and a transaction that fails writes neither change nor audit", async () => {
    const db = t.handle.db;
    await db.insert(user).values({ id: "u1", name: "A", email: "a@x.test", role: "admin" });
    await db.transaction(async (tx) => {
      await tx.update(user).set({ name: "B" }).where(eq(user.id, "u1"));
      await writeAudit(tx, { actor: { id: "u1", email: "a@x.test" }, action: "user.update", entityType: "user", entityId: "u1", summary: { after: "B" } });
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.update(user).set({ name: "C" }).where(eq(user.id, "u1"));
        await writeAudit(tx, { actor: null, action: "user.update", entityType: "user", entityId: "u1" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const [u] = await db.select().from(user).where(eq(user.id, "u1"));
    expect(u.name).toBe("B");
    const [{ n }] = await db.select({ n: count() }).from(auditLog);
    expect(n).toBe(1);
  });

  it("re-running the migrations is a no-op", async () => {
    const { runMigrations } = await import("@/db/migrate");
    await runMigrations(t.handle);
    const [{ n }] = await t.handle.db.select({ n: count() }).from(wechatAccounts);
    expect(n).toBe(0);
  });
});

it("a second process on the same PGlite folder fails at once, naming the holder", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-lock-"));
  const { openDatabase } = await import("@/db/client");
  const h = await openDatabase({ dataDir: dir });
  try {
    const script = `
      const m = await import("./db/client.ts");
      const openDatabase = m.openDatabase ?? m.default.openDatabase;
      try { await openDatabase({ dataDir: ${JSON.stringify(dir)} }); console.log("OPENED"); process.exit(0); }
      catch (e) { console.log(e.message); process.exit(3); }
    `;
    const started = Date.now();
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const p = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: process.cwd(),
        env: { ...process.env, NODE_OPTIONS: "--conditions=react-server" },
      });
      let text = "";
      p.stdout.on("data", (d) => (text += d));
      p.stderr.on("data", (d) => (text += d));
      p.on("exit", (code) => resolve({ code, text }));
    });
    expect(out.code).toBe(3);
    expect(out.text).toContain(`in use by process ${process.pid}`);
    expect(out.text).toContain(dir);
    expect(Date.now() - started).toBeLessThan(15_000);
  } finally {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("a lock left by a dead process is taken over", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-lock-"));
  fs.writeFileSync(path.join(dir, "qunfa.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, startedAt: "then", cmd: "gone" }));
  const { lockDataDir } = await import("@/db/lock");
  const release = lockDataDir(dir);
  expect(JSON.parse(fs.readFileSync(path.join(dir, "qunfa.lock"), "utf8")).pid).toBe(process.pid);
  release();
  expect(fs.existsSync(path.join(dir, "qunfa.lock"))).toBe(false);
  fs.rmSync(dir, { recursive: true, force: true });
});
