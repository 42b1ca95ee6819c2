// Bench: the history list with 100 000 campaigns in the database renders its query in < 150 ms
// on the server. Prints each query's median and p95 against a baseline measured in the same run
// (a bare `select … from campaigns where account_id = … order by created_at desc limit 51`: no filter, no join).
// Run: npx tsx bench/history-list.ts   (PGlite; with BENCH_DATABASE_URL=postgres://… also PostgreSQL)
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, type DbHandle } from "../db/client";
import { historyFilterSchema } from "../lib/history/filters";
import { listHistory } from "../lib/history/history";

const N = Number(process.env.BENCH_CAMPAIGNS || 100_000);

async function seed(h: DbHandle) {
  await h.db.execute(sql`insert into "user" (id, name, email, role) values ('u1','Li','li@x.test','publisher'), ('u2','Wang','wang@x.test','admin') on conflict do nothing`);
  await h.db.execute(sql`insert into wechat_accounts (id, name, appid, type, app_secret_enc, callback_token_enc) values ('a1','A','wx1234567890abcdef','service','x','x'), ('a2','B','wx1234567890abcdee','service','x','x') on conflict do nothing`);
  await h.db.execute(sql`
    insert into campaigns (id, account_id, name, state, message_type, message, search_text, audience_kind, tag_id, tag_name, created_by, sent_by, created_at, total_count, filter_count, sent_count, error_count)
    select 'c' || lpad(g::text, 7, '0'),
           case when g % 10 = 0 then 'a2' else 'a1' end,
           case when g % 97 = 0 then '双十一 大促 ' || g else 'Campaign ' || g end,
           (array['draft','finished','finished','finished','sending','cancelled'])[1 + g % 6],
           (array['mpnews','mpnews','text','image','mpvideo'])[1 + g % 5],
           '{"type":"text","content":"x"}'::jsonb,
           case when g % 13 = 0 then '秋季新品上市' else 'weekly digest ' || (g % 500) end,
           (array['all','tag','list'])[1 + g % 3],
           2, 'VIP', 'u1', case when g % 2 = 0 then 'u2' else null end,
           timestamptz '2024-01-01' + (g || ' minutes')::interval,
           1000, 950, 940, 10
    from generate_series(1, ${N}) g`);
  await h.db.execute(sql`analyze campaigns`);
}

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
  await seed(h);
  console.log(`\n[${label}] seeded ${N} campaigns in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const baseline = await time(() => h.db.execute(sql`select id, name, created_at from campaigns where account_id = 'a1' order by created_at desc, id desc limit 51`));
  const cases: [string, Record<string, string>][] = [
    ["first page, no filter", {}],
    ["search by title (秋季)", { q: "秋季" }],
    ["state=finished & type=mpnews", { state: "finished", type: "mpnews" }],
    ["audience=tag & person & date range", { audience: "tag", person: "u2", from: "2024-02-01", to: "2024-02-20" }],
  ];
  console.log(`baseline bare query: median ${baseline.median.toFixed(1)} ms, p95 ${baseline.p95.toFixed(1)} ms`);
  for (const [name, params] of cases) {
    const f = historyFilterSchema.parse(params);
    const page1 = await listHistory(h.db, ["a1"], f, 50);
    const r = await time(() => listHistory(h.db, ["a1"], f, 50));
    console.log(`${name.padEnd(40)} median ${r.median.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  (${(r.median / baseline.median).toFixed(1)}× baseline)  rows ${page1.rows.length}`);
    if (page1.next) {
      const deep = await time(() => listHistory(h.db, ["a1"], { ...f, after: page1.next! }, 50), 10);
      console.log(`${(name + " — page 2").padEnd(40)} median ${deep.median.toFixed(1)} ms`);
    }
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-history-"));
  const lite = await openDatabase({ dataDir: dir });
  await run("PGlite", lite);
  await lite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (process.env.BENCH_DATABASE_URL) {
    const pg = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL });
    await pg.db.execute(sql`truncate campaigns cascade`);
    await run("PostgreSQL", pg);
    await pg.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
