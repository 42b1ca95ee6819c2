// `npm run worker`: campaign workers in a process of their own, beside one or more `next start`
// (start those with QUNFA_WORKERS=off if they should not send themselves). They share work through
// the database, so this needs DATABASE_URL: the embedded database can be opened by one process only.
import { startWorkers } from "../lib/jobs/start-workers";

async function main() {
  if (!process.env.DATABASE_URL) {
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
