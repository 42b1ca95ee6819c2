import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql, type SQL } from "drizzle-orm";
import pg from "pg";
import path from "node:path";
import v8 from "node:v8";
import { env } from "@/lib/config/env";
import * as schema from "./schema";
import { DURABLE_START_PARAMS, syncThroughToDisk } from "./durable-pglite";
import { lockDataDir } from "./lock";
import { runMigrations } from "./migrate";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  driver: "pglite" | "pg";
  /** Raw SQL for libraries that bring their own queries (pg-boss). */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  pool?: pg.Pool;
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  migrate?: boolean;
}

/** Opens a database handle: PGlite in a locked folder, or a node-postgres pool. */
export async function openDatabase(opts: OpenOptions = {}): Promise<DbHandle> {
  const url = opts.databaseUrl;
  let handle: DbHandle;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: env.dbPoolMax });
    pool.on("error", (e) => console.error("[qunfa] idle PostgreSQL client error", e.message));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    handle = {
      db,
      driver: "pg",
      pool,
      executeSql: async (text, values) => {
        const r = await pool.query(text, values as unknown[]);
        return { rows: r.rows };
      },
      close: () => pool.end(),
    };
  } else {
    const dir = path.resolve(/*turbopackIgnore: true*/ opts.dataDir ?? env.dataDir);
    const release = lockDataDir(dir);
    // PostgreSQL's default shared_buffers (128MB) lives in PGlite's WebAssembly heap, touched at
    // start: a third of the whole console's memory. The files stay in the operating system's
    // page cache either way; see bench/README.md for what the smaller cache costs.
    // PGlite's engine is 9 MB of WebAssembly, and V8 compiles every function of it at start unless
    // told to compile each on its first call; most of PostgreSQL never runs in a console (~20 MB
    // less resident: bench/audience-import.ts). Process-wide, and only wasm is affected.
    v8.setFlagsFromString("--wasm-lazy-compilation");
    const durable = env.pgliteFsync;
    const client = await PGlite.create(path.join(dir, "pglite"), {
      postgresqlconf: [`shared_buffers = ${env.pgliteSharedBuffers}`],
      ...(durable ? { startParams: DURABLE_START_PARAMS } : {}),
    });
    if (durable && !syncThroughToDisk(client))
      console.warn(
        "[qunfa] the embedded database could not be made to fsync (PGlite's internals changed): commits survive a crash of this process, not a power cut",
      );
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    handle = {
      db,
      driver: "pglite",
      pglite: client,
      executeSql: async (text, values) => {
        // pg-boss sends multi-statement scripts without parameters; PGlite's query() takes one statement.
        if (!values || values.length === 0) {
          const results = await client.exec(text);
          const last = results[results.length - 1];
          return { rows: (last?.rows ?? []) as Record<string, unknown>[] };
        }
        const r = await client.query(text, values as unknown[]);
        return { rows: r.rows as Record<string, unknown>[] };
      },
      close: async () => {
        await client.close();
        release();
      },
    };
  }
  if (opts.migrate !== false) await runMigrations(handle);
  return handle;
}

type Global = typeof globalThis & { __qunfaDb?: Promise<DbHandle> };
const g = globalThis as Global;

/**
 * The process-wide database. Lazy, so that `next build` never opens it. Kept on globalThis because
 * Next may load this module in several bundles of one process.
 */
export function getDbHandle(): Promise<DbHandle> {
  if (!g.__qunfaDb) {
    g.__qunfaDb = openDatabase({ databaseUrl: env.databaseUrl }).catch((e) => {
      g.__qunfaDb = undefined;
      throw e;
    });
  }
  return g.__qunfaDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Whether `db` is the embedded database (PGlite, inside this process and sharing its memory). */
export function isEmbedded(db: DbOrTx): boolean {
  const client = (db as unknown as { $client?: { execProtocol?: unknown } }).$client;
  return typeof client?.execProtocol === "function";
}

/** `rows` of a raw query on either driver. */
export async function queryRows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

export { sql };
