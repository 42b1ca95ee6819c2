import "server-only";
import { count } from "drizzle-orm";
import { getDbHandle } from "@/db/client";
import { user } from "@/db/schema";
import { env } from "@/lib/config/env";
import { ensureEnvAdmin } from "@/lib/users/user-service";
import { masterKey } from "@/lib/crypto/secret-box";
import { startWorkers } from "@/lib/jobs/start-workers";
import { startSandboxRunner } from "@/lib/sandbox";
import { ensureSandboxAccounts } from "./sandbox-accounts";

type Global = typeof globalThis & { __qunfaBooted?: Promise<void> };
const g = globalThis as Global;

/**
 * Everything a server process does once at start: open and migrate the database, make the
 * unattended admin, seed and connect the sandbox, start the workers. Called from instrumentation.ts.
 */
export function boot(): Promise<void> {
  if (!g.__qunfaBooted) g.__qunfaBooted = doBoot();
  return g.__qunfaBooted;
}

async function doBoot() {
  masterKey();
  const handle = await getDbHandle();
  await ensureEnvAdmin(handle.db, env.adminEmail, env.adminPassword);
  if (env.sandboxEnabled) {
    await ensureSandboxAccounts(handle.db);
    startSandboxRunner(handle.db);
  }
  if (env.workersEnabled) await startWorkers();
  const [{ n }] = await handle.db.select({ n: count() }).from(user);
  console.log(`[qunfa] ready: database ${handle.driver === "pg" ? "PostgreSQL" : "PGlite in " + env.dataDir}${env.sandboxEnabled ? ", sandbox on" : ""}`);
  console.log(n === 0 ? `[qunfa] first start: open ${env.publicUrl}/setup to create the first admin` : `[qunfa] sign in at ${env.publicUrl}/sign-in`);
}
