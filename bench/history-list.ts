// Bench: the history list with 100 000 campaigns in the database renders in < 150 ms on the server.
// Seeds campaigns over two accounts with their batches (1 request for everyone / a tag, 1–5 for an
// OpenID list) and audience lists, so the per-row request-count subquery and the list-name join
// run against real rows. Times each query and the whole server work of the account page
// (account + list + people, as the page runs them) and of the admin page across accounts, each
// against a baseline measured in the same run: a bare
// `select … from campaigns where account_id = … order by created_at desc limit 51` (no filter, no join).
// Run: npx tsx bench/history-list.ts   (PGlite; with BENCH_DATABASE_URL=postgres://…/postgres also
// PostgreSQL, in a database of its own created beside that one and dropped afterwards)
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPgDatabase } from "../test/support/pg-database";
import { sql } from "drizzle-orm";
import { openDatabase, type DbHandle } from "../db/client";
import { historyFilterSchema, HISTORY_SORTS } from "../lib/history/filters";
import { historyPeople, listHistory } from "../lib/history/history";
import { getAccount, listAccounts } from "../lib/accounts/account-service";
import { seedHistory as seed, LISTS } from "./history-seed";

const N = Number(process.env.BENCH_CAMPAIGNS || 100_000);

async function time(fn: () => Promise<unknown>, runs = 30) {
  for (let i = 0; i < 3; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], p95: xs[Math.floor(xs.length * 0.95)] };
}

async function run(label: string, h: DbHandle) {
  const t0 = performance.now();
  await seed(h, N);
  const batches = ((await h.db.execute(sql`select count(*)::int as n from campaign_batches`)) as unknown as { rows: { n: number }[] }).rows[0]?.n;
  console.log(`\n[${label}] seeded ${N} campaigns, ${batches ?? "?"} batches, ${LISTS} lists in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const baseline = await time(() =>
    h.db.execute(sql`select id, name, created_at from campaigns where account_id = 'a1' order by created_at desc, id desc limit 51`),
  );
  console.log(`baseline bare query: median ${baseline.median.toFixed(1)} ms, p95 ${baseline.p95.toFixed(1)} ms`);
  const line = (name: string, r: { median: number; p95: number }, extra = "") =>
    console.log(
      `${name.padEnd(44)} median ${r.median.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  ` +
        `(${(r.median / baseline.median).toFixed(1)}× baseline)${extra}`,
    );
  const cases: [string, Record<string, string>][] = [
    ...HISTORY_SORTS.map((s): [string, Record<string, string>] => [`sort=${s}, no filter`, { sort: s }]),
    ["search by title (秋季)", { q: "秋季" }],
    ["state=finished & type=mpnews", { state: "finished", type: "mpnews" }],
    ["audience=list & sort=delivered", { audience: "list", sort: "delivered" }],
    ["audience=tag & person & date range", { audience: "tag", person: "u2", from: "2024-02-01", to: "2024-02-20" }],
  ];
  for (const [name, params] of cases) {
    const f = historyFilterSchema.parse(params);
    const page1 = await listHistory(h.db, ["a1"], f, 50);
    line(name, await time(() => listHistory(h.db, ["a1"], f, 50)), `  rows ${page1.rows.length}`);
    if (page1.next) {
      // A deep page: walk 20 pages in, then time the next one.
      let after: string | null = page1.next;
      for (let i = 0; i < 20 && after; i++) after = (await listHistory(h.db, ["a1"], { ...f, after }, 50)).next;
      if (after) line(`  … page 22 (keyset)`, await time(() => listHistory(h.db, ["a1"], { ...f, after: after! }, 50), 10));
    }
  }
  line("historyPeople (the person choices)", await time(() => historyPeople(h.db)));
  // What each page awaits before it renders (app/(console)/[accountId]/history/page.tsx and
  // app/(console)/admin/history/page.tsx): the same calls, run the same way.
  const accountPage = (params: Record<string, string>) => async () => {
    const account = await getAccount(h.db, "a1");
    const f = historyFilterSchema.parse(params);
    await Promise.all([listHistory(h.db, ["a1"], f, 50, account!.timezone), historyPeople(h.db)]);
  };
  const adminPage = (params: Record<string, string>) => async () => {
    const f = historyFilterSchema.parse(params);
    await Promise.all([listHistory(h.db, null, f, 50, "Asia/Shanghai"), historyPeople(h.db), listAccounts(h.db)]);
  };
  line("PAGE account history, no filter", await time(accountPage({})));
  line("PAGE account history, search + sort=sent", await time(accountPage({ q: "秋季", sort: "sent" })));
  line("PAGE admin history, no filter", await time(adminPage({})));
  for (const s of HISTORY_SORTS.filter((x) => x !== "newest")) line(`PAGE admin history, sort=${s}`, await time(adminPage({ sort: s }), 15));
  line("PAGE admin history, account=a2 + state", await time(adminPage({ account: "a2", state: "finished" })));
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-history-"));
  const lite = await openDatabase({ dataDir: dir });
  await run("PGlite", lite);
  await lite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (process.env.BENCH_DATABASE_URL) {
    const database = await createPgDatabase(process.env.BENCH_DATABASE_URL, "qunfa_bench_history");
    try {
      const h = await openDatabase({ databaseUrl: database.url });
      await run("PostgreSQL", h);
      await h.close();
    } finally {
      await database.drop();
    }
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
