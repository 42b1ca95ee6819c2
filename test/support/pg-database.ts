import pg from "pg";

export interface PgDatabase {
  name: string;
  /** The connection string of the new database. */
  url: string;
  /** Drops it (with force: connections still open are ended). */
  drop(): Promise<void>;
}

async function asAdmin(base: string, statement: string) {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** A new, empty database on the PostgreSQL server of `base`, named `prefix` and a unique tail (tests and benches). */
export async function createPgDatabase(base: string, prefix: string): Promise<PgDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await asAdmin(base, `create database ${name}`);
  const u = new URL(base);
  u.pathname = "/" + name;
  return { name, url: u.toString(), drop: () => asAdmin(base, `drop database if exists ${name} with (force)`) };
}
