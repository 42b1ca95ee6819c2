// Bench (issue 6): importing a 1 000 000-OpenID CSV (≈ 29 MB) — validated, de-duplicated and
// stored — takes at most 4× a bare read + split + Set over the same file measured in the same run,
// with the importing process's peak RSS under 300 MB.
//
// The file is generated here (1 000 000 OpenIDs under an `openid` header, with 1 % duplicates,
// 0.1 % malformed lines and a few blanks). The baseline runs in this process; each import runs in
// a child process of its own (a fresh database, the real `createAudienceList` reading the file as
// a stream), which reports the import's time and its peak RSS from process.resourceUsage().maxRSS
// (database engine included: PGlite runs inside the process).
// Run: node --conditions=react-server --import tsx bench/audience-import.ts [postgres://…]
//      (BENCH_DATABASE_URL works too; BENCH_OPENIDS changes the size)
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const N = Number(process.env.BENCH_OPENIDS || 1_000_000);
const RATIO_GOAL = 4;
const RSS_GOAL_MB = 300;

function generate(file: string) {
  const fd = fs.openSync(file, "w");
  const seen: string[] = [];
  let lines = ["openid"];
  let bytes = 0;
  const flush = () => {
    const s = lines.join("\n") + "\n";
    bytes += Buffer.byteLength(s);
    fs.writeSync(fd, s);
    lines = [];
  };
  for (let i = 0; i < N; i++) {
    if (i % 100 === 99 && seen.length) lines.push(seen[(i * 7919) % seen.length]);
    else if (i % 1000 === 500) lines.push("not-an-openid-" + i);
    else if (i % 50_000 === 1) lines.push("");
    else {
      const id = randomBytes(21).toString("base64url");
      if (seen.length < 100_000) seen.push(id);
      lines.push(id);
    }
    if (lines.length >= 10_000) flush();
  }
  flush();
  fs.closeSync(fd);
  return bytes;
}

/** The floor: read the whole file, split it into lines, put them in a Set. */
function baseline(file: string) {
  const t = performance.now();
  const text = fs.readFileSync(file, "utf8");
  const set = new Set(text.split("\n"));
  const ms = performance.now() - t;
  if (set.size < N / 2) throw new Error("baseline read too little");
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Phase 1, a process of its own: a fresh database (PGlite folder or PostgreSQL database), migrated, with a user and an account. */
async function prepare(target: string) {
  const { openDatabase } = await import("../db/client");
  const { sql } = await import("drizzle-orm");
  const h = await openDatabase(target.startsWith("postgres") ? { databaseUrl: target } : { dataDir: target });
  await h.db.execute(sql`insert into "user" (id, name, email, role) values ('u1','Li','li@x.test','publisher')`);
  await h.db.execute(sql`insert into wechat_accounts (id, name, appid, type, app_secret_enc, callback_token_enc) values ('a1','A','wx1234567890abcdef','service','x','x')`);
  await h.close();
}

/**
 * Phase 2, a process of its own, as the server is at work: it opens the existing database (PGlite's
 * first start, which runs initdb, takes far more memory than later opens and is not measured)
 * and imports the file with the real createAudienceList, streaming it from disk.
 */
async function importPhase(target: string, file: string) {
  const { openDatabase } = await import("../db/client");
  const { sql } = await import("drizzle-orm");
  const { createAudienceList } = await import("../lib/campaigns/audience-lists");
  const h = await openDatabase(target.startsWith("postgres") ? { databaseUrl: target } : { dataDir: target });
  const beforeMb = process.memoryUsage().rss / 1048576;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  const r = await createAudienceList(h.db, { id: "u1", email: "li@x.test" }, "a1", "bench", fs.createReadStream(file, { highWaterMark: 1 << 16 }));
  const ms = performance.now() - t;
  clearInterval(sampler);
  if ("error" in r) throw new Error("import failed");
  const stored = Number(((await h.db.execute(sql`select sum(count)::int as n from audience_list_chunks`)) as unknown as { rows: { n: number }[] }).rows[0].n);
  if (stored !== r.report.valid) throw new Error(`stored ${stored} of ${r.report.valid}`);
  await h.close();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, report: r.report, maxRssMb, sampledPeakMb: peak / 1048576, beforeMb }) + "\n");
}

async function withDatabase<T>(url: string | null, fn: (target: string) => T): Promise<T> {
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-import-"));
    try {
      return fn(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const pg = (await import("pg")).default;
  const name = `qunfa_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = "/" + name;
  try {
    return fn(u.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--prepare") return prepare(args[1]);
  if (args[0] === "--import") return importPhase(args[1], args[2]);
  const url = args[0] || process.env.BENCH_DATABASE_URL || null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-openids-"));
  const file = path.join(dir, "openids.csv");
  const bytes = generate(file);
  console.log(`file: ${N.toLocaleString("en")} OpenID lines, ${(bytes / 1e6).toFixed(1)} MB`);
  baseline(file); // warm the page cache and the JIT
  const base = median([baseline(file), baseline(file), baseline(file)]);
  console.log(`baseline read + split + Set: ${base.toFixed(0)} ms`);
  const self = fileURLToPath(import.meta.url);
  let ok = true;
  for (const target of [null, ...(url ? [url] : [])]) {
    const name = target ? "PostgreSQL" : "PGlite";
    const run = (...a: string[]) => spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", self, ...a], { encoding: "utf8", env: process.env, maxBuffer: 1 << 24 });
    const p = await withDatabase(target, (db) => {
      const prep = run("--prepare", db);
      return prep.status === 0 ? run("--import", db, file) : prep;
    });
    const line = p.stdout.trim().split("\n").pop() ?? "";
    if (p.status !== 0 || !line.startsWith("{")) {
      console.error(`${name}: import failed\n${p.stderr}`);
      ok = false;
      continue;
    }
    const r = JSON.parse(line) as { ms: number; report: { linesRead: number; valid: number; invalid: number; duplicates: number; blank: number; requests: number }; maxRssMb: number; sampledPeakMb: number; beforeMb: number };
    const ratio = r.ms / base;
    const pass = ratio <= RATIO_GOAL && r.maxRssMb < RSS_GOAL_MB;
    ok &&= pass;
    console.log(
      `${name}: import ${r.ms.toFixed(0)} ms = ${ratio.toFixed(2)}× baseline (goal ≤ ${RATIO_GOAL}×); peak RSS ${r.maxRssMb.toFixed(0)} MB (goal < ${RSS_GOAL_MB} MB; ${r.beforeMb.toFixed(0)} MB with the database open before the import, sampled peak ${r.sampledPeakMb.toFixed(0)} MB) ${pass ? "ok" : "MISSED"}`,
    );
    console.log(`  report: ${r.report.linesRead} lines, ${r.report.valid} valid, ${r.report.invalid} invalid, ${r.report.duplicates} duplicates, ${r.report.blank} blank, ${r.report.requests} requests`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (!ok) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
