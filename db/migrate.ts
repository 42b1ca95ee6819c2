import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import path from "node:path";
import fs from "node:fs";
import type { DbHandle } from "./client";

function migrationsFolder(): string {
  // `next start` runs from the project root; tests and scripts too.
  const candidates = [path.join(process.cwd(), "db", "migrations"), path.resolve(__dirname, "migrations")];
  return candidates.find((p) => fs.existsSync(path.join(p, "meta", "_journal.json"))) ?? candidates[0];
}

/** Applies drizzle-kit's migrations; on PostgreSQL under an advisory lock so instances starting together apply them once. */
export async function runMigrations(handle: DbHandle): Promise<void> {
  const folder = migrationsFolder();
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as never, { migrationsFolder: folder });
    return;
  }
  const client = await handle.pool!.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('qunfa:migrations'))");
    await migratePg(drizzlePg(client) as never, { migrationsFolder: folder });
  } finally {
    await client.query("select pg_advisory_unlock(hashtext('qunfa:migrations'))").catch(() => {});
    client.release();
  }
}
