// Bench: safe-mode MASSSENDJOBFINISH pushes to the callback route under `next start`, as after a
// real send. The database holds submitted campaigns of ten batches each; most pushes carry the
// MsgID of one of those batches (so the result is applied to the batch and its campaign, and the
// campaign finishes when its last batch has its result), some are WeChat's retries (the same
// request again) or duplicates (the same MsgID under a new nonce), some carry a MsgID we never
// sent. Every request is timed on its own (fixed request counts, wall time from the first request
// to the last answer); the baseline, in the same run and on the same server, is Next's empty route
// (`GET /api/health`: it ships anyway, touches no database and reads no body, so everything the
// callback route costs beyond it is ours, reading the body included).
//
// Goals (printed as pass/fail): at 100 connections no push waits longer than 5 s (WeChat's
// timeout; it retries what it does not get in time) and p99 < 1 s; at 10 connections p99 < 100 ms;
// the route serves ≥ 0.5× the empty route's requests per second in the same round; our own CPU per
// push (server CPU per push minus per empty request, the push's background work included) ≤ 1 ms.
//
// Needs a build (`npx next build`), then
//   node --conditions=react-server --import tsx bench/callback.ts
// BENCH_DATABASE_URL=postgres://… runs on PostgreSQL (an empty database the bench may fill); else a
// fresh PGlite folder. BENCH_PORT (3290), BENCH_REQUESTS (6000 at 100 connections),
// BENCH_REQUESTS_10 (2000 at 10 connections), BENCH_ROUNDS (2).
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type DbHandle } from "../db/client";
import { createAccount } from "../lib/accounts/account-service";
import { serverEnv } from "../scripts/lib.mjs";
import { callbackAccountForm, safeModePush } from "../test/support/callback-push";

const PORT = Number(process.env.BENCH_PORT || 3290);
const N = Number(process.env.BENCH_REQUESTS || 6000);
const N10 = Number(process.env.BENCH_REQUESTS_10 || 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const WARMUP = Number(process.env.BENCH_WARMUP || 1500);
const DB_URL = process.env.BENCH_DATABASE_URL || "";
const BATCHES_PER_CAMPAIGN = 10;
// Shares of a run's pushes (the rest carry a fresh MsgID of a seeded batch).
const SHARE_DUPLICATE = 0.08; // the MsgID of a push sent shortly before, new nonce and timestamp
const SHARE_RETRY = 0.03; // a request sent shortly before, byte for byte (WeChat's retry)
const SHARE_UNKNOWN = 0.07; // a MsgID no batch has (a send from WeChat's own backend)

const TOKEN = "benchCallbackToken";
const AES = "benchEncodingAesKey0123456789abcdefghijklmn";
const APPID = "wxbench00000000001";
const ACCOUNT = "a0000000000000be1";
const root = path.resolve(import.meta.dirname, "..");
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

// The MASSSENDJOBFINISH sample from Senparc.Weixin's tests (with CopyrightCheckResult and ArticleUrlResult), per MsgID.
const finishXml = (msgId: string) =>
  `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>` +
  `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>` +
  `<MsgID>${msgId}</MsgID><Status><![CDATA[send success]]></Status><TotalCount>10000</TotalCount><FilterCount>9800</FilterCount>` +
  `<SentCount>9750</SentCount><ErrorCount>50</ErrorCount><CopyrightCheckResult><Count>2</Count><ResultList>` +
  [1, 2]
    .map(
      (i) =>
        `<item><ArticleIdx>${i}</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>2</AuditState>` +
        `<OriginalArticleUrl><![CDATA[Url_${i}]]></OriginalArticleUrl><OriginalArticleType>1</OriginalArticleType><CanReprint>1</CanReprint>` +
        `<NeedReplaceContent>1</NeedReplaceContent><NeedShowReprintSource>1</NeedShowReprintSource></item>`,
    )
    .join("") +
  `</ResultList><CheckState>2</CheckState></CopyrightCheckResult><ArticleUrlResult><Count>2</Count><ResultList>` +
  `<item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/${msgId}-1]]></ArticleUrl></item>` +
  `<item><ArticleIdx>2</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/${msgId}-2]]></ArticleUrl></item></ResultList></ArticleUrlResult></xml>`;

interface Req {
  method: "GET" | "POST";
  path: string;
  body?: string;
  expect: string;
  msgId?: string;
}

const FIRST_MSG_ID = 3_000_000_000;
let nextBatch = 0; // the next seeded batch whose result has not been pushed yet
let unknownSeq = 9_000_000_000;
const matched = new Set<string>(); // MsgIDs of seeded batches pushed so far
const pushedIds = new Set<string>(); // every MsgID pushed
const answeredIds = new Set<string>(); // every MsgID answered "success" (each must be recorded once)

function signedPush(msgId: string, pathPrefix: string): Req {
  const nonce = String(randomBytes(6).readUIntBE(0, 6));
  const { query, body } = safeModePush(finishXml(msgId), { token: TOKEN, aesKey: AES, appid: APPID, nonce, toUserName: "gh_4d00ed8d6399", openid: "mphelper" });
  return { method: "POST", path: `${pathPrefix}?${query}`, body, expect: "success", msgId };
}

/** `count` pushes as after a real send: mostly results of seeded batches in order, with retries, duplicates and unknown MsgIDs mixed in. */
function pushes(count: number, pathPrefix: string, seededBatches: number): Req[] {
  const out: Req[] = [];
  const recent: { msgId: string; req: Req }[] = [];
  // A fixed sequence (a linear congruential generator), so every run mixes alike.
  let s = 12345;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < count; i++) {
    const r = rnd();
    const earlier = recent.length > 0 ? recent[Math.floor(rnd() * recent.length)] : null;
    let msgId: string;
    if (earlier && r < SHARE_RETRY) {
      out.push(earlier.req);
      continue;
    } else if (earlier && r < SHARE_RETRY + SHARE_DUPLICATE) {
      msgId = earlier.msgId;
    } else if (r < SHARE_RETRY + SHARE_DUPLICATE + SHARE_UNKNOWN || nextBatch >= seededBatches) {
      msgId = String(unknownSeq++);
    } else {
      msgId = String(FIRST_MSG_ID + nextBatch++);
      matched.add(msgId);
    }
    const req = signedPush(msgId, pathPrefix);
    pushedIds.add(msgId);
    out.push(req);
    recent.push({ msgId, req });
    if (recent.length > 200) recent.shift();
  }
  return out;
}

interface Run {
  label: string;
  count: number;
  wallMs: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  over5s: number;
  over10s: number;
  failed: number;
  mismatches: number;
  cpuMs: number;
  dbCpuMs: number;
  eld: string;
  errors: string;
  load: string;
}

const agentFor = (connections: number) => new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });

function once(agent: http.Agent, port: number, r: Req): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        agent,
        method: r.method,
        path: r.path,
        headers: r.body ? { "content-type": "text/xml", "content-length": Buffer.byteLength(r.body) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    // Past 30 s the request counts as unanswered (WeChat gave up long before).
    req.setTimeout(30_000, () => req.destroy(new Error("no answer in 30 s")));
    req.on("error", reject);
    req.end(r.body);
  });
}

/** CPU time (ms) of a process and all its descendants. */
function treeCpuMs(pid: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (p: number): boolean => {
    for (let q = p, hops = 0; q > 1 && hops < 20; q = stats.get(q)?.ppid ?? 0, hops++) if (q === pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [p, s] of stats) if (inTree(p)) ticks += s.ticks;
  return (ticks * 1000) / CLK_TCK;
}

/** PostgreSQL: CPU time (ms) of the backends serving the bench database, by process id. */
async function backendCpu(h: DbHandle | null): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!h) return out;
  const rows = await queryRows<{ pid: number }>(h.db, sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  for (const { pid } of rows) {
    try {
      const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      out.set(pid, ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK);
    } catch {
      // not on this machine, or gone
    }
  }
  return out;
}
const cpuDelta = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((s, [pid, ms]) => s + ms - (a.get(pid) ?? 0), 0);

const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");

let server: ChildProcess;
const eldFile = path.join(os.tmpdir(), `qunfa-bench-callback-eld-${process.pid}`);

/** The server's event-loop delay since the last call (reset by the same signal). */
async function eventLoop(): Promise<string> {
  const pids: number[] = [];
  for (const d of fs.readdirSync(path.dirname(eldFile))) if (d.startsWith(path.basename(eldFile) + ".")) fs.rmSync(path.join(path.dirname(eldFile), d));
  try {
    for (const line of execFileSync("pgrep", ["-P", String(server.pid)])
      .toString()
      .split("\n"))
      if (line.trim()) pids.push(Number(line));
  } catch {
    // no children
  }
  for (const p of [server.pid!, ...pids]) {
    try {
      process.kill(p, "SIGUSR2");
    } catch {
      // gone
    }
  }
  // A server blocked (say, in an fsync) answers the signal late: wait for its histogram up to 10 s.
  let found: string[] = [];
  for (let i = 0; i < 50 && found.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    found = fs.readdirSync(path.dirname(eldFile)).filter((d) => d.startsWith(path.basename(eldFile) + "."));
  }
  return found
    .map((d) => JSON.parse(fs.readFileSync(path.join(path.dirname(eldFile), d), "utf8")) as { p50: number; p99: number; max: number; count: number })
    .filter((e) => e.count > 0)
    .map((e) => `event-loop delay p50 ${e.p50} / p99 ${e.p99} / max ${e.max} ms`)
    .join("; ");
}

/** Waits until the server has had no work for a moment (background work after the answers included). */
async function quiet() {
  let prev = treeCpuMs(server.pid!);
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = treeCpuMs(server.pid!);
    if (now - prev <= 40) return;
    prev = now;
  }
}

async function fire(label: string, port: number, reqs: Req[], connections: number, pg: DbHandle | null): Promise<Run> {
  await quiet();
  await eventLoop();
  const load = loadavg();
  const agent = agentFor(connections);
  const lat: number[] = [];
  let failed = 0;
  const errors = new Map<string, number>();
  let mismatches = 0;
  let next = 0;
  const cpu0 = treeCpuMs(server.pid!);
  const db0 = await backendCpu(pg);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < reqs.length) {
        const r = reqs[next++];
        const t = performance.now();
        try {
          const res = await once(agent, port, r);
          lat.push(performance.now() - t);
          if (res.status !== 200 || res.body !== r.expect) mismatches++;
          else if (r.msgId) answeredIds.add(r.msgId);
        } catch (e) {
          failed++;
          const m = (e as Error).message;
          errors.set(m, (errors.get(m) ?? 0) + 1);
        }
      }
    }),
  );
  const wallMs = performance.now() - t0;
  agent.destroy();
  // CPU is counted until the work the requests started has finished.
  await quiet();
  const cpuMs = treeCpuMs(server.pid!) - cpu0;
  const dbCpuMs = cpuDelta(db0, await backendCpu(pg));
  const eld = await eventLoop();
  lat.sort((a, b) => a - b);
  const pct = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] : NaN);
  return {
    label,
    count: reqs.length,
    wallMs,
    rps: (lat.length / wallMs) * 1000,
    p50: pct(0.5),
    p99: pct(0.99),
    max: lat.length ? lat[lat.length - 1] : NaN,
    over5s: lat.filter((x) => x > 5000).length,
    over10s: lat.filter((x) => x > 10_000).length + failed,
    failed,
    mismatches,
    cpuMs,
    dbCpuMs,
    eld,
    errors: [...errors].map(([m, n]) => `${n}× ${m}`).join(", "),
    load: `${load} → ${loadavg()}`,
  };
}

const fmt = (r: Run) =>
  `${r.label}: ${r.count} in ${(r.wallMs / 1000).toFixed(2)} s = ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ` +
  `${r.max.toFixed(0)} ms, ` +
  `>5 s ${r.over5s}, >10 s or none ${r.over10s}, wrong answers ${r.mismatches}, CPU ${(r.cpuMs / r.count).toFixed(2)} ms/req` +
  (r.dbCpuMs ? ` + PostgreSQL ${(r.dbCpuMs / r.count).toFixed(2)} ms/req` : "") +
  (r.errors ? ` (failed: ${r.errors})` : "") +
  ` | ${r.eld} | load ${r.load}`;

async function waitFor(url: string, ms = 180_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url, { redirect: "manual" });
      return;
    } catch {
      if (Date.now() > until) throw new Error(`${url} did not answer`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

const stop = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null ? r() : (c.once("exit", () => r()), c.kill("SIGTERM"))));

async function seed(h: DbHandle, batches: number) {
  await createAccount(h.db, null, callbackAccountForm("bench", { appid: APPID, token: TOKEN, aesKey: AES }), { id: ACCOUNT });
  const campaigns = Math.ceil(batches / BATCHES_PER_CAMPAIGN);
  // Submitted list sends of 100 000 OpenIDs (ten requests of 10 000), every request answered with
  // its msg_id. Marked as just asked about (status_checked_at ahead), so the worker's status check
  // of batches without a result (message/mass/get) leaves them to the pushes for the whole run.
  await h.db.execute(sql`
    insert into campaigns (id, account_id, name, state, message_type, message, audience_kind, audience_size, started_at, submitted_at)
    select 'cb' || lpad(g::text, 6, '0'), ${ACCOUNT}, 'bench ' || g, 'submitted', 'text', '{"type":"text","content":"x"}'::jsonb, 'list',
      ${BATCHES_PER_CAMPAIGN * 10_000}, now(), now()
    from generate_series(0, ${campaigns - 1}) g`);
  await h.db.execute(sql`
    insert into campaign_batches (campaign_id, account_id, seq, kind, list_from, recipient_count, client_msg_id, state, msg_id, submitted_at,
      status_checked_at, attempts)
    select 'cb' || lpad((g / ${BATCHES_PER_CAMPAIGN})::text, 6, '0'), ${ACCOUNT}, g % ${BATCHES_PER_CAMPAIGN}, 'send',
      (g % ${BATCHES_PER_CAMPAIGN}) * 10000, 10000,
           'qf-bench-' || g, 'submitted', (${FIRST_MSG_ID}::bigint + g)::text, now(), now() + interval '1 day', 1
    from generate_series(0, ${campaigns * BATCHES_PER_CAMPAIGN - 1}) g`);
  await h.db.execute(sql`analyze`);
  return campaigns * BATCHES_PER_CAMPAIGN;
}

async function main() {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("build first: npx next build");
  const dataDir = DB_URL ? "" : fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-callback-"));
  process.env.QUNFA_SECRET_KEY = "bench-callback-secret";
  const total = WARMUP + ROUNDS * (N + N10);
  const h = await openDatabase(DB_URL ? { databaseUrl: DB_URL } : { dataDir });
  const seeded = await seed(h, Math.ceil(total * (1 - SHARE_DUPLICATE - SHARE_RETRY - SHARE_UNKNOWN)));
  if (!DB_URL) await h.close();
  const pg = DB_URL ? h : null;
  console.log(
    `${DB_URL ? "PostgreSQL" : "PGlite"}: ${seeded} submitted batches in ${seeded / BATCHES_PER_CAMPAIGN} campaigns; ${os.cpus().length} cores, load ` +
      `${loadavg()}`,
  );

  server = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    // As npm start runs it (scripts/lib.mjs serverEnv), plus the event-loop probe.
    env: ((e: NodeJS.ProcessEnv) => ({
      ...e,
      NODE_OPTIONS: [e.NODE_OPTIONS, `--import=${path.join(root, "bench", "callback-eld.mjs")}`].filter(Boolean).join(" "),
    }))(
      serverEnv({
        ...process.env,
        PORT: String(PORT),
        ...(DB_URL ? { DATABASE_URL: DB_URL } : { QUNFA_DATA_DIR: dataDir }),
        QUNFA_SANDBOX: "off",
        QUNFA_PUBLIC_URL: `http://127.0.0.1:${PORT}`,
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
        BENCH_ELD_FILE: eldFile,
      }),
    ),
  });
  const ours = `/api/wechat/callback/${ACCOUNT}`;
  const empty = (n: number): Req[] => Array.from({ length: n }, () => ({ method: "GET", path: "/api/health", expect: "ok" }));
  const rounds: { e100: Run; r100: Run; e10: Run; r10: Run }[] = [];
  try {
    await waitFor(`http://127.0.0.1:${PORT}/api/health`);
    // Warm-up: JIT, route loading, database caches.
    console.log(fmt(await fire("warm-up, route @100", PORT, pushes(WARMUP, ours, seeded), 100, pg)));
    console.log(fmt(await fire("warm-up, empty @100", PORT, empty(WARMUP), 100, pg)));
    for (let i = 0; i < ROUNDS; i++) {
      const e100 = await fire(`round ${i + 1} empty route @100`, PORT, empty(N), 100, pg);
      console.log(fmt(e100));
      const r100 = await fire(`round ${i + 1} callback    @100`, PORT, pushes(N, ours, seeded), 100, pg);
      console.log(fmt(r100));
      const e10 = await fire(`round ${i + 1} empty route @10 `, PORT, empty(N10), 10, pg);
      console.log(fmt(e10));
      const r10 = await fire(`round ${i + 1} callback    @10 `, PORT, pushes(N10, ours, seeded), 10, pg);
      console.log(fmt(r10));
      rounds.push({ e100, r100, e10, r10 });
    }
  } finally {
    await stop(server);
  }

  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const worst = Math.max(...rounds.map((r) => r.r100.max));
  const over5 = rounds.reduce((s, r) => s + r.r100.over5s, 0);
  const over10 = rounds.reduce((s, r) => s + r.r100.over10s, 0);
  const p99_100 = Math.max(...rounds.map((r) => r.r100.p99));
  const p99_10 = Math.max(...rounds.map((r) => r.r10.p99));
  const ratios = rounds.map((r) => r.r100.rps / r.e100.rps);
  const own = rounds.map((r) => (r.r100.cpuMs + r.r100.dbCpuMs) / r.r100.count - (r.e100.cpuMs + r.e100.dbCpuMs) / r.e100.count);
  console.log(`\ngoals (worst round of ${ROUNDS}):`);
  console.log(
    `  no push over 5 s at 100 connections: ${verdict(over5 === 0 && over10 === 0)} (worst ${worst.toFixed(0)} ms; ${over5} over 5 s, ${over10} ` +
      `unanswered within 10 s)`,
  );
  console.log(`  p99 < 1 s at 100 connections: ${verdict(p99_100 < 1000)} (${p99_100.toFixed(0)} ms)`);
  console.log(`  p99 < 100 ms at 10 connections: ${verdict(p99_10 < 100)} (${p99_10.toFixed(0)} ms)`);
  console.log(`  route ≥ 0.5× Next's empty route: ${verdict(Math.min(...ratios) >= 0.5)} (${ratios.map((x) => x.toFixed(2) + "×").join(", ")})`);
  console.log(
    `  own CPU per push ≤ 1 ms: ${verdict(Math.max(...own) <= 1)} ` +
      `(${own.map((x) => x.toFixed(2) + " ms").join(", ")}${pg ? ", PostgreSQL's backends included" : ""})`,
  );

  // What the database holds now that the server let go of it: each MsgID recorded once, every seeded batch that got a push has its result.
  const check = pg ?? (await openDatabase({ dataDir, migrate: false }));
  const [row] = await queryRows<{ events: number; applied: number; unapplied_known: number; batches: number; finished: number; total: number }>(
    check.db,
    sql`select (select count(*)::int from callback_events where account_id = ${ACCOUNT}) as events,
               (select count(*)::int from callback_events where account_id = ${ACCOUNT} and applied_at is not null) as applied,
               (select count(*)::int from callback_events e where account_id = ${ACCOUNT} and applied_at is null
                  and exists (select 1 from campaign_batches b where b.account_id = e.account_id and b.msg_id = substr(e.dedupe_key, 6))) as unapplied_known,
               (select count(*)::int from campaign_batches where account_id = ${ACCOUNT} and result_at is not null) as batches,
               (select count(*)::int from campaigns where account_id = ${ACCOUNT} and state = 'finished') as finished,
               (select count(distinct campaign_id)::int from campaign_batches where account_id = ${ACCOUNT} and result_at is not null) as total`,
  );
  const fullCampaigns = new Set([...matched].map((m) => Math.floor((Number(m) - FIRST_MSG_ID) / BATCHES_PER_CAMPAIGN)));
  let complete = 0;
  for (const c of fullCampaigns)
    if ([...Array(BATCHES_PER_CAMPAIGN).keys()].every((k) => matched.has(String(FIRST_MSG_ID + c * BATCHES_PER_CAMPAIGN + k)))) complete++;
  console.log(
    `\ndatabase: ${row.events} events for ${pushedIds.size} distinct MsgIDs pushed, ${answeredIds.size} answered ` +
      `(${verdict(row.events >= answeredIds.size && row.events <= pushedIds.size)}); ${row.applied} applied, ${row.unapplied_known} of a known batch left ` +
      `unapplied; ` +
      `${row.batches} batches with a result for ${matched.size} pushed (${verdict(row.batches === matched.size)}); ${row.finished} campaigns finished ` +
      `of ${complete} whose every batch was pushed (${verdict(row.finished === complete)})`,
  );
  await check.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
