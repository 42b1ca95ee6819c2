// Bench: safe-mode MASSSENDJOBFINISH pushes to the callback route (verify + decrypt +
// parse + record) with autocannon at 100 connections against `next start` on the embedded
// database (PGlite); baseline in the same run: node-webot's `wechat` middleware on express
// (verify + decrypt + parse, no storage), same payloads. Goal: requests per second ≥ 1.0× the
// baseline, p99 < 100 ms. Every request is distinct (MsgID, nonce, timestamp, msg_signature), as
// replays are refused: they are generated before each run and handed out by setupRequest.
//
// Needs a build: `npx next build`, then
//   node --conditions=react-server --import tsx bench/callback.ts
// BENCH_PORT (3290) and BENCH_BASE_PORT (3291) pick the ports; BENCH_REQUESTS (6000) the count
// per measured run; BENCH_ROUNDS (2) how many alternating rounds.
import { fork, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../db/client";
import { createAccount } from "../lib/accounts/account-service";
import { buildXml, encryptMessage, msgSignature, sha1Sorted } from "../lib/wechat";
import { serverEnv } from "../scripts/lib.mjs";

const PORT = Number(process.env.BENCH_PORT || 3290);
const BASE_PORT = Number(process.env.BENCH_BASE_PORT || 3291);
const N = Number(process.env.BENCH_REQUESTS || 6000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const CONNECTIONS = 100;
const WARMUP = 1500;

const TOKEN = "benchCallbackToken";
const AES = "benchEncodingAesKey0123456789abcdefghijklmn";
const APPID = "wxbench00000000001";
const ACCOUNT = "a0000000000000be1";
const root = path.resolve(import.meta.dirname, "..");

// The MASSSENDJOBFINISH sample from Senparc.Weixin's tests (with CopyrightCheckResult and ArticleUrlResult), per MsgID.
const finishXml = (msgId: number) =>
  `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>` +
  `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>` +
  `<MsgID>${msgId}</MsgID><Status><![CDATA[send success]]></Status><TotalCount>10000</TotalCount><FilterCount>9800</FilterCount>` +
  `<SentCount>9750</SentCount><ErrorCount>50</ErrorCount><CopyrightCheckResult><Count>2</Count><ResultList>` +
  [1, 2]
    .map(
      (i) =>
        `<item><ArticleIdx>${i}</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>2</AuditState><OriginalArticleUrl><![CDATA[Url_${i}]]></OriginalArticleUrl>` +
        `<OriginalArticleType>1</OriginalArticleType><CanReprint>1</CanReprint><NeedReplaceContent>1</NeedReplaceContent><NeedShowReprintSource>1</NeedShowReprintSource></item>`,
    )
    .join("") +
  `</ResultList><CheckState>2</CheckState></CopyrightCheckResult><ArticleUrlResult><Count>2</Count><ResultList>` +
  `<item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/${msgId}-1]]></ArticleUrl></item>` +
  `<item><ArticleIdx>2</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/${msgId}-2]]></ArticleUrl></item></ResultList></ArticleUrlResult></xml>`;

let msgSeq = 2_000_000_000;
/** `count` distinct signed, encrypted pushes, as WeChat sends them in safe mode. */
function pushes(count: number, pathPrefix: string) {
  const out: { method: "POST"; path: string; body: string; headers: Record<string, string> }[] = [];
  for (let i = 0; i < count; i++) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(randomBytes(6).readUIntBE(0, 6));
    const enc = encryptMessage(finishXml(msgSeq++), AES, APPID);
    const query = `signature=${sha1Sorted([TOKEN, timestamp, nonce])}&timestamp=${timestamp}&nonce=${nonce}&openid=mphelper&encrypt_type=aes&msg_signature=${msgSignature(TOKEN, timestamp, nonce, enc)}`;
    out.push({ method: "POST", path: `${pathPrefix}?${query}`, body: buildXml({ ToUserName: "gh_4d00ed8d6399", Encrypt: enc }), headers: { "content-type": "text/xml" } });
  }
  return out;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  mismatches: number;
}

/** `count` requests at 100 connections: distinct pushes, or (push = false) GET of the health route. */
async function fire(port: number, pathPrefix: string, count: number, push = true): Promise<Run> {
  const list = push ? pushes(count, pathPrefix) : [{ method: "GET", path: pathPrefix }];
  const expected = push ? "success" : "ok";
  let next = 0;
  let mismatches = 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    amount: count,
    requests: [
      {
        // Each request takes the next pre-generated push: none is sent twice.
        setupRequest: (req: Record<string, unknown>) => Object.assign(req, list[next++ % list.length]),
        onResponse: (_status: number, body: string) => {
          if (body !== expected) mismatches++;
        },
      },
    ],
  });
  // Completed requests over the run's length (autocannon's per-second average is coarse for runs of a few seconds).
  return { rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, ok: r["2xx"], non2xx: r.non2xx, errors: r.errors, mismatches };
}

async function waitFor(url: string, ms = 120_000) {
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

async function main() {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("build first: npx next build");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-callback-"));
  process.env.QUNFA_SECRET_KEY = "bench-callback-secret";
  const h = await openDatabase({ dataDir });
  await createAccount(
    h.db,
    null,
    { name: "bench", appid: APPID, appSecret: "0123456789abcdef0123456789abcdef", type: "service", verified: true, callbackToken: TOKEN, encodingAesKey: AES, messageMode: "safe", relayUrl: "", apiBaseUrl: "http://127.0.0.1:1", timezone: "Asia/Shanghai", requiresApproval: false },
    { id: ACCOUNT },
  );
  await h.close();

  const nextStart = () =>
    spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(PORT), "-H", "127.0.0.1"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      // As npm start runs it (scripts/lib.mjs serverEnv); BENCH_LAUNCH=bare for Node's defaults.
      env: ((e: NodeJS.ProcessEnv) => (process.env.BENCH_LAUNCH === "bare" ? e : serverEnv(e)))({ ...process.env, PORT: String(PORT), QUNFA_DATA_DIR: dataDir, QUNFA_SANDBOX: "off", QUNFA_PUBLIC_URL: `http://127.0.0.1:${PORT}`, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" }),
    });
  let server: ChildProcess = nextStart();
  const baseline = fork(path.join(root, "bench", "callback-baseline.mjs"), [String(BASE_PORT)], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { ...process.env, BENCH_TOKEN: TOKEN, BENCH_APPID: APPID, BENCH_AES_KEY: AES },
  });
  const ours = `/api/wechat/callback/${ACCOUNT}`;
  const f = (r: Run) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors}, mismatches ${r.mismatches}`;
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  let sent = 0;
  const runs: { base: Run; ours: Run; empty: Run; plain?: Run }[] = [];
  try {
    await waitFor(`http://127.0.0.1:${PORT}/sign-in`);
    await waitFor(`http://127.0.0.1:${BASE_PORT}/`);
    // Warm-up: JIT, route loading, database caches.
    await fire(BASE_PORT, "/wechat", WARMUP);
    sent += (await fire(PORT, ours, WARMUP)).ok;
    await fire(PORT, "/api/health", WARMUP, false);
    for (let i = 0; i < ROUNDS; i++) {
      const base = await fire(BASE_PORT, "/wechat", N);
      const mine = await fire(PORT, ours, N);
      const empty = await fire(PORT, "/api/health", N, false);
      sent += mine.ok;
      runs.push({ base, ours: mine, empty });
      console.log(`round ${i + 1}: baseline (wechat on express):       ${f(base)}`);
      console.log(`round ${i + 1}: qunfa (next start + PGlite):        ${f(mine)}`);
      console.log(`round ${i + 1}: next start, empty route (/api/health): ${f(empty)}`);
      console.log(`round ${i + 1}: ratio ${(mine.rps / base.rps).toFixed(2)}× (goal ≥ 1.0), p99 ${mine.p99} ms (goal < 100 ms); Next's empty route ${(empty.rps / base.rps).toFixed(2)}×`);
    }
    // The same handler without Next: the folder is PGlite's, so next start lets go of it first.
    await stop(server);
    server = fork(path.join(root, "bench", "callback-plain.ts"), [String(PORT), dataDir], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      execArgv: ["--conditions=react-server", "--import", "tsx"],
      env: { ...process.env, NODE_ENV: "production" },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("message", () => resolve());
      server.once("exit", (code) => reject(new Error(`callback-plain exited with ${code}`)));
    });
    sent += (await fire(PORT, ours, WARMUP)).ok;
    for (let i = 0; i < ROUNDS; i++) {
      const base = await fire(BASE_PORT, "/wechat", N);
      const plain = await fire(PORT, ours, N);
      sent += plain.ok;
      runs[i].plain = plain;
      runs[i].base = { ...runs[i].base, rps: (runs[i].base.rps + base.rps) / 2 };
      console.log(`round ${i + 1}: baseline again:                    ${f(base)}`);
      console.log(`round ${i + 1}: same handler on bare node:http:    ${f(plain)} → ${(plain.rps / base.rps).toFixed(2)}×`);
    }
    const b = avg(runs.map((r) => r.base.rps));
    const ratio = avg(runs.map((r) => r.ours.rps)) / b;
    const p99 = Math.max(...runs.map((r) => r.ours.p99));
    const ceiling = avg(runs.map((r) => r.empty.rps));
    console.log(`\noverall: ratio ${ratio.toFixed(2)}× (${ratio >= 1 ? "met" : "MISSED"}), worst p99 ${p99} ms (${p99 < 100 ? "met" : "MISSED"})`);
    console.log(`next start's empty route: ${(ceiling / b).toFixed(2)}× the baseline; at 100 connections its mean latency is at least ${((CONNECTIONS / ceiling) * 1000).toFixed(0)} ms (connections ÷ throughput)`);
    console.log(`the handler on bare node:http: ${(avg(runs.map((r) => r.plain!.rps)) / b).toFixed(2)}×, worst p99 ${Math.max(...runs.map((r) => r.plain!.p99))} ms`);
  } finally {
    await Promise.all([stop(server), stop(baseline)]);
  }
  // Every accepted push was recorded once: count the rows now that the server let go of the folder.
  const check = await openDatabase({ dataDir, migrate: false });
  const [row] = await queryRows<{ n: number }>(check.db, sql`select count(*)::int as n from callback_events where account_id = ${ACCOUNT}`);
  console.log(`recorded events: ${row.n} for ${sent} pushes answered "success"`);
  await check.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
