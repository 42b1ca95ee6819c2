// `npm run worker`: campaign workers in a process of their own, beside one or more `next start`
// (start those with QUNFA_WORKERS=off if they should not send themselves). They share work through
// the database, so this needs DATABASE_URL: the embedded database can be opened by one process only.
import { env } from "../lib/config/env";
import { startWorkers } from "../lib/jobs/start-workers";

// pg-boss 10 completes or fails a finished job without awaiting it (manager.js, work()'s onFetch):
// when the database is unreachable at that moment the rejection is unhandled, and Node would end
// the whole worker, turning a short database outage into a dead process. `next start` logs such
// rejections and goes on (Next's process error handlers); this process does the same. The job
// stays "active" until pg-boss expires it, and its campaign is adopted by a live worker meanwhile.
process.on("unhandledRejection", (e) => {
  console.error(`[qunfa] unhandled rejection (the worker goes on): ${e instanceof Error ? e.message : String(e)}`);
});

async function main() {
  if (!env.databaseUrl) {
    console.error("[qunfa] npm run worker needs DATABASE_URL: the embedded database belongs to the one `npm start` process.");
    process.exit(2);
  }
  const stop = await startWorkers();
  console.log("[qunfa] worker started");
  const shutdown = async () => {
    await stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((e) => {
  console.error(`[qunfa] worker failed: ${(e as Error).message}`);
  process.exit(1);
});
