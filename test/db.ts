import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe } from "vitest";
import { openDatabase, type DbHandle } from "@/db/client";

export type Driver = "pglite" | "pg";

/** Drivers the integration suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function drivers(): Driver[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "pg"] : ["pglite"];
}

export interface TestDb {
  handle: DbHandle;
  /** A connection string for the fresh database (pg only), for second processes. */
  url?: string;
  dataDir?: string;
  dispose(): Promise<void>;
}

/** A fresh, migrated database: a new PGlite folder, or a new database on the PostgreSQL server. */
export async function createTestDb(driver: Driver): Promise<TestDb> {
  if (driver === "pglite") {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-test-"));
    const handle = await openDatabase({ dataDir });
    return {
      handle,
      dataDir,
      dispose: async () => {
        await handle.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `qunfa_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = "/" + name;
  const url = u.toString();
  const handle = await openDatabase({ databaseUrl: url });
  return {
    handle,
    url,
    dispose: async () => {
      await handle.close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** `describe` once per available driver. */
export function describeEachDriver(name: string, fn: (driver: Driver) => void) {
  for (const d of drivers()) describe(`${name} [${d}]`, () => fn(d));
}
