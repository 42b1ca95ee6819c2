import "server-only";
import { getDbHandle } from "@/db/client";
import { env } from "@/lib/config/env";
import { ensureEnvAdmin } from "@/lib/users/user-service";
import { masterKey } from "@/lib/crypto/secret-box";
import { getBoss } from "@/lib/jobs/boss";

type Global = typeof globalThis & { __qunfaBooted?: Promise<void> };
const g = globalThis as Global;

/**
 * Everything a server process does once at start: open and migrate the database, make the
 * unattended admin, seed the sandbox, start the job workers. Called from instrumentation.ts.
 */
export function boot(): Promise<void> {
  if (!g.__qunfaBooted) g.__qunfaBooted = doBoot();
  return g.__qunfaBooted;
}

async function doBoot() {
  masterKey();
  const handle = await getDbHandle();
  await ensureEnvAdmin(handle.db, env.adminEmail, env.adminPassword);
  if (env.workersEnabled) {
    await getBoss();
  }
  console.log(`[qunfa] ready: database ${handle.driver === "pg" ? "PostgreSQL" : "PGlite in " + env.dataDir}`);
}
