// Bench: a 1 000 000-follower is_to_all job completes and its callback is sent within 5 s of the
// request — measured for the month's worst job, not its easiest. WeChat's rule (高级群发接口, 群发
// 说明): a service account's follower receives at most 4 mass messages a calendar month, "多于4条
// 的群发将对该用户发送失败", and the account sends is_to_all at most 4 times a month. So the month's
// worst is_to_all job is its 4th after a tag send: the bench sends to a tag holding ~52 % of the
// followers, then is_to_all four times. The 4th finds the tag's members at 4 already and must filter
// every one of them (~520 000 followers), while the others receive it. Every job's request → job
// done → MASSSENDJOBFINISH received is timed; the goal applies to each, the 4th being the one that
// can miss it. Each job's recipients are counted back through the sandbox_deliveries view and
// checked against what the rule gives (1st–3rd: everyone; 4th: everyone outside the tag).
//
// Baseline measured in the same run: a bare INSERT … SELECT of N rows into an unindexed table
// (what materialising one row per recipient costs at the least).
//
// Run: node --conditions=react-server --import tsx bench/sandbox-mass-send.ts
//      (BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres for PostgreSQL: a fresh
//      database is created beside it and dropped after). BENCH_FOLLOWERS sets N, BENCH_TAG_PCT the
//      tag's share (default 52).
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { createPgDatabase } from "../test/support/pg-database";
import { openDatabase, type DbHandle } from "../db/client";
import { handleSandboxRequest, runDueSandboxJobs, sandboxCredentials, seedFollowers, seedSandbox, setSandboxCallback } from "../lib/sandbox";

const N = Number(process.env.BENCH_FOLLOWERS || 1_000_000);
const TAG_PCT = Number(process.env.BENCH_TAG_PCT || 52);
const TAG_ID = 900;
const f2 = (ms: number) => (ms / 1000).toFixed(2);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");

async function main() {
  let h: DbHandle;
  let dispose: () => Promise<void>;
  const base = process.env.BENCH_DATABASE_URL;
  if (base) {
    const database = await createPgDatabase(base, "qunfa_bench_sbx");
    h = await openDatabase({ databaseUrl: database.url });
    dispose = async () => {
      await h.close();
      // BENCH_KEEP_DB=1 (a tuning aid): stop before the 4th job and keep the database to study it.
      if (process.env.BENCH_KEEP_DB) return console.log(`kept database ${database.name}`);
      await database.drop();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-sandbox-"));
    h = await openDatabase({ dataDir: dir });
    dispose = async () => {
      await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await h.db.execute(q)) as unknown as { rows: T[] }).rows;
  process.env.SANDBOX_TIME_SCALE = "0";
  const [svc] = sandboxCredentials();
  const t0 = performance.now();
  await seedSandbox(h.db, { followers: 10 });
  await h.db.execute(sql`delete from sandbox_followers where appid = ${svc.appid}`);
  await h.db.execute(sql`delete from sandbox_tag_members where appid = ${svc.appid}`);
  await seedFollowers(h.db, svc.appid, N);
  // The bench's tag: a pseudo-random TAG_PCT % of the followers (the seed's tags are 5–35 %).
  await h.db.execute(sql`insert into sandbox_tags (appid, id, name) values (${svc.appid}, ${TAG_ID}, 'bench') on conflict do nothing`);
  await h.db.execute(sql`
    insert into sandbox_tag_members (appid, tag_id, openid)
    select appid, ${TAG_ID}, openid from sandbox_followers
    where appid = ${svc.appid} and ((seq::bigint * 40503 + 17) % 100) < ${TAG_PCT}`);
  await h.db.execute(sql`analyze sandbox_tag_members`);
  const [{ n: tagged }] = await rows<{ n: number }>(sql`select count(*)::int as n from sandbox_tag_members where appid = ${svc.appid} and tag_id = ${TAG_ID}`);
  console.log(`${h.driver}: seeded ${N} followers, tag of ${tagged} (${((tagged / N) * 100).toFixed(1)} %) in ${f2(performance.now() - t0)} s; load ${load()}`);

  let pushedAt = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      pushedAt = performance.now();
      res.end("success");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  await setSandboxCallback(h.db, svc.appid, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`, mode: "safe" });

  // Baseline: the same number of rows written by one set-based statement.
  await h.db.execute(sql`create temporary table bench_rows (msg_id bigint, openid text)`);
  const b0 = performance.now();
  await h.db.execute(sql`insert into bench_rows select 1, openid from sandbox_followers where appid = ${svc.appid}`);
  const baseline = performance.now() - b0;
  await h.db.execute(sql`drop table bench_rows`);
  console.log(`baseline INSERT … SELECT of ${N} rows: ${f2(baseline)} s`);

  const call = (p: string, init?: RequestInit) =>
    handleSandboxRequest(h.db, new Request(`http://sandbox/sandbox-api/cgi-bin/${p}`, init)).then((r) => r.json());
  const token = (await call(`token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).access_token;

  async function job(label: string, filter: Record<string, unknown>, expected: number) {
    pushedAt = 0;
    const s0 = performance.now();
    const r = await call(`message/mass/sendall?access_token=${token}`, {
      method: "POST",
      body: JSON.stringify({ filter, msgtype: "text", text: { content: label }, clientmsgid: `bench-${label}` }),
    });
    if (r.errcode !== 0) throw new Error(JSON.stringify(r));
    const answered = performance.now() - s0;
    await runDueSandboxJobs(h.db);
    if (!pushedAt) throw new Error("no MASSSENDJOBFINISH received");
    const total = pushedAt - s0;
    const [c] = await rows<{ n: number }>(sql`select count(*)::int as n from sandbox_deliveries where msg_id = ${r.msg_id}`);
    const [j] = await rows<{ sent: number; filter: number; total: number }>(
      sql`select sent_count as sent, filter_count as filter, total_count as total from sandbox_jobs where msg_id = ${r.msg_id}`,
    );
    const ok = c.n === expected && j.sent === expected;
    console.log(
      `${label}: answered ${f2(answered)} s; request → job done → callback received ${f2(total)} s (${(total / baseline).toFixed(2)}× baseline; goal ≤ ` +
        `5 s ${total <= 5000 ? "met" : "MISSED"}); ` +
        `TotalCount ${j.total}, SentCount ${j.sent}, recipients by the view ${c.n}, expected ${expected} ${ok ? "✓" : "✗ WRONG"}; load ${load()}`,
    );
    if (!ok) throw new Error(`${label}: recipients ${c.n} / SentCount ${j.sent}, expected ${expected}`);
    return total;
  }

  await job("tag send", { is_to_all: false, tag_id: TAG_ID }, tagged);
  await job("is_to_all #1", { is_to_all: true }, N);
  await job("is_to_all #2", { is_to_all: true }, N);
  await job("is_to_all #3", { is_to_all: true }, N);
  if (process.env.BENCH_KEEP_DB) {
    receiver.close();
    return dispose();
  }
  const worst = await job("is_to_all #4 (the month's worst)", { is_to_all: true }, N - tagged);
  console.log(
    `RESULT ${h.driver}: the month's 4th is_to_all job, ${tagged} of ${N} filtered: ${f2(worst)} s (goal ≤ 5 s: ${worst <= 5000 ? "met" : "missed"}); ` +
      `baseline ${f2(baseline)} s`,
  );
  receiver.close();
  await dispose();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
