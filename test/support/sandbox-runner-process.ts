// The sandbox's background runner in a process of its own, as `next start` runs it (lib/boot.ts
// calls the same startSandboxRunner), for tests that kill it with SIGKILL. Run it with
// `node --conditions=react-server --import tsx`. Needs DATABASE_URL (a PostgreSQL database; the
// embedded one belongs to one process). Prints "runner started" once the runner is started.
import { openDatabase } from "../../db/client";
import { startSandboxRunner } from "../../lib/sandbox/runner";

async function main() {
  if (!process.env.DATABASE_URL) {
    console.error("sandbox-runner-process needs DATABASE_URL");
    process.exit(2);
  }
  const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
  startSandboxRunner(handle.db, Number(process.env.SANDBOX_RUNNER_INTERVAL_MS || 50));
  console.log("runner started");
  // The runner's timer is unref'd (it must not hold `next start` open); this process exists only
  // to run it.
  setInterval(() => {}, 1 << 30);
}

main().catch((e) => {
  console.error(`sandbox runner process failed: ${(e as Error).message}`);
  process.exit(1);
});
