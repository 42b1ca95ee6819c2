// Bench: a 1 000 000-follower is_to_all job completes and its callback is sent within
// 5 s of the request. Baseline measured in the same run: a bare INSERT … SELECT of the same number
// of delivery rows (what materialising one row per recipient costs at the least). The job itself
// stores no row per recipient (the sandbox_deliveries view derives them); the count read back
// through that view checks that every follower received it. Run: node --conditions=react-server --import tsx bench/sandbox-mass-send.ts
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { handleSandboxRequest, runDueSandboxJobs, sandboxCredentials, seedFollowers, seedSandbox, setSandboxCallback } from "../lib/sandbox";

const N = Number(process.env.BENCH_FOLLOWERS || 1_000_000);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-sandbox-"));
  const h = process.env.BENCH_DATABASE_URL ? await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL }) : await openDatabase({ dataDir: dir });
  process.env.SANDBOX_TIME_SCALE = "0";
  const [svc] = sandboxCredentials();
  const t0 = performance.now();
  await seedSandbox(h.db, { followers: 10 });
  await h.db.execute(sql`delete from sandbox_followers where appid = ${svc.appid}`);
  await h.db.execute(sql`delete from sandbox_tag_members where appid = ${svc.appid}`);
  await seedFollowers(h.db, svc.appid, N);
  console.log(`seeded ${N} followers in ${((performance.now() - t0) / 1000).toFixed(1)} s (${h.driver})`);

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

  const call = (p: string, init?: RequestInit) => handleSandboxRequest(h.db, new Request(`http://sandbox/sandbox-api/cgi-bin/${p}`, init)).then((r) => r.json());
  const token = (await call(`token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).access_token;
  const s0 = performance.now();
  const r = await call(`message/mass/sendall?access_token=${token}`, { method: "POST", body: JSON.stringify({ filter: { is_to_all: true }, msgtype: "text", text: { content: "bench" }, clientmsgid: "bench-1" }) });
  if (r.errcode !== 0) throw new Error(JSON.stringify(r));
  const answered = performance.now() - s0;
  await runDueSandboxJobs(h.db);
  const total = (pushedAt || performance.now()) - s0;
  if (!pushedAt) throw new Error("no MASSSENDJOBFINISH received");
  const [row] = ((await h.db.execute(sql`select count(*)::int as n from sandbox_deliveries where msg_id = ${r.msg_id}`)) as unknown as { rows: { n: number }[] }).rows;
  console.log(`baseline INSERT … SELECT of ${N} rows: ${(baseline / 1000).toFixed(2)} s`);
  console.log(`sendall answered in ${(answered / 1000).toFixed(2)} s`);
  console.log(`is_to_all job: request → deliveries (${row.n}) → callback received: ${(total / 1000).toFixed(2)} s (${(total / baseline).toFixed(2)}× baseline; goal ≤ 5 s)`);
  receiver.close();
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
