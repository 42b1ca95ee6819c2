import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe } from "vitest";
import { openDatabase, type DbHandle } from "@/db/client";
import { createPgDatabase } from "./support/pg-database";

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
  const database = await createPgDatabase(process.env.TEST_DATABASE_URL!, "qunfa_t");
  const handle = await openDatabase({ databaseUrl: database.url });
  return {
    handle,
    url: database.url,
    dispose: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

/** `describe` once per available driver. */
export function describeEachDriver(name: string, fn: (driver: Driver) => void) {
  for (const d of drivers()) describe(`${name} [${d}]`, () => fn(d));
}
