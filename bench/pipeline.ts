// Bench: a campaign of 10 000-OpenID `send` requests against the sandbox over real HTTP, long
// enough that WeChat's per-minute limit binds. Goals: the pipeline keeps the limit ≥ 95 % used
// (requests per minute achieved ÷ allowed), no request is refused for rate (45009 / 45011), and
// its own work per batch outside WeChat's answer time stays < 20 ms at p95 in serial mode.
//
// The limit binds: the sandbox counts mass requests per calendar minute (WeChat's rule) and is set
// to BENCH_PER_MINUTE (default 60, WeChat's real limit); the campaign has enough requests
// (default 2.1 minutes' worth, 126 at 60/min) that at least one whole calendar minute lies inside
// each run, so a pipeline that sent faster than allowed would be refused there. To show that the
// bench can fail, BENCH_LOOSEN=1.1 sets the console account's limit 10 % above the sandbox's (the
// pipeline's rate limiter paces at 66/min against WeChat's 60).
//
// Own work per batch = the pipeline's own (claiming the batch with its OpenIDs, recording the
// answer and the failure count; not the wait for the rate-limit slot) + the messenger's own around
// the HTTP exchange (token read, request validation, serialising the ~300 KB body, parsing and
// checking the answer): the messenger's whole call minus the time from handing the request to
// fetch until the answer's body is read.
//
// Baselines measured in the same run: the ideal schedule (requests exactly 60 000 / limit ms
// apart), a bare HTTP round trip of the same 10 000-OpenID request to the sandbox (after the runs,
// so its requests do not count in the runs' minutes), and a trivial query's round trip. The same
// campaign is sent with one request in flight (serial) and pipelined (up to 8 in flight).
//
// The sandbox is WeChat here: on PostgreSQL it runs in a process of its own (its route handler
// behind a small node http server, on the same database, as `next start` would serve it); on
// PGlite, which one process owns, it is served in-process.
//
// Run: node --conditions=react-server --import tsx bench/pipeline.ts
//      (BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres for PostgreSQL: a fresh
//      database is created beside it and dropped after). Exits 1 when a goal is missed.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { AsyncLocalStorage } from "node:async_hooks";
import { eq, sql } from "drizzle-orm";
import { createPgDatabase } from "../test/support/pg-database";
import { openDatabase, type Db, type DbHandle } from "../db/client";
import { user, wechatAccounts } from "../db/schema";
import { ensureSandboxAccounts } from "../lib/boot/sandbox-accounts";
import { handleSandboxRequest, sandboxCredentials, setSandboxSettings } from "../lib/sandbox";
import { createAudienceList } from "../lib/audiences/lists";
import { requestSend, saveCampaign, type CampaignJobs } from "../lib/campaigns/campaign-service";
import { drainCampaign, releaseWorkerLock } from "../lib/campaigns/pipeline";
import { wechatMessenger } from "../lib/campaigns/wechat-messenger";
import type { Messenger } from "../lib/campaigns/messenger";

const PER_MINUTE = Number(process.env.BENCH_PER_MINUTE || 60);
const N = Number(process.env.BENCH_OPENIDS || Math.ceil(2.1 * PER_MINUTE) * 10_000);
const LOOSEN = Number(process.env.BENCH_LOOSEN || 1);

function serveSandbox(db: Db): Promise<{ url: string; close(): void }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = `http://${req.headers.host}${req.url}`;
    const r = await handleSandboxRequest(
      db,
      new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "GET" ? undefined : Buffer.concat(chunks) }),
    );
    const body = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })),
  );
}

// Child mode: the sandbox alone, on the given database; prints its address.
async function sandboxProcess(url: string) {
  const h = await openDatabase({ databaseUrl: url, migrate: false });
  const s = await serveSandbox(h.db);
  console.log(`SANDBOX ${s.url}`);
}

async function startSandboxProcess(url: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", __filename, "--sandbox", url], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /SANDBOX (\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on("exit", (code) => reject(new Error(`sandbox process exited ${code}`)));
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f1 = (x: number) => x.toFixed(1);

function openid(i: number) {
  return "o" + i.toString(36).padStart(27, "0");
}

async function main() {
  let h: DbHandle;
  let dispose: () => Promise<void>;
  let sandbox: { url: string; stop(): void };
  const base = process.env.BENCH_DATABASE_URL;
  if (base) {
    const database = await createPgDatabase(base, "qunfa_bench");
    h = await openDatabase({ databaseUrl: database.url });
    const s = await startSandboxProcess(database.url);
    sandbox = { url: s.url, stop: () => s.child.kill("SIGKILL") };
    dispose = async () => {
      await releaseWorkerLock(h);
      await h.close();
      await database.drop();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-pipeline-"));
    h = await openDatabase({ dataDir: dir });
    const s = await serveSandbox(h.db);
    sandbox = { url: s.url, stop: s.close };
    dispose = async () => {
      await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  process.env.QUNFA_SECRET_KEY ??= "bench-pipeline";
  process.env.QUNFA_INTERNAL_URL = sandbox.url;
  const db = h.db;
  const [svc] = sandboxCredentials();
  await db.insert(user).values({ id: "u1", name: "Bench", email: "bench@x.test", role: "publisher" });
  await ensureSandboxAccounts(db, { followers: 10 });
  const [acc] = await db.select().from(wechatAccounts).where(eq(wechatAccounts.appid, svc.appid));
  await setSandboxSettings(db, svc.appid, { perMinute: PER_MINUTE, dailyLimit: 10_000 });
  await db
    .update(wechatAccounts)
    .set({ massPerMinute: Math.round(PER_MINUTE * LOOSEN) })
    .where(eq(wechatAccounts.id, acc.id));
  if (LOOSEN !== 1) console.log(`BENCH_LOOSEN=${LOOSEN}: the console paces at ${Math.round(PER_MINUTE * LOOSEN)}/min against the sandbox's ${PER_MINUTE}/min`);

  const actor = { id: "u1", email: "bench@x.test" };
  const t0 = performance.now();
  async function* lines() {
    for (let i = 0; i < N; i += 50_000) {
      const part: string[] = [];
      for (let k = i; k < Math.min(N, i + 50_000); k++) part.push(openid(k));
      yield part.join("\n") + "\n";
    }
  }
  const list = await createAudienceList(db, actor, acc.id, "bench", lines());
  if ("error" in list) throw new Error("import failed");
  console.log(
    `${h.driver}: imported ${list.report.valid} OpenIDs (${list.report.requests} requests) in ${f1((performance.now() - t0) / 1000)} s; sandbox at ` +
      `${sandbox.url} (${base ? "own process" : "in-process"})`,
  );

  // Baseline: one trivial query's round trip, what every database step of the pipeline costs at least.
  const rt: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s = performance.now();
    await db.execute(sql`select 1`);
    rt.push(performance.now() - s);
  }
  console.log(
    `baseline: a trivial query's round trip: median ${f1(pct(rt, 50))} ms, p95 ${f1(pct(rt, 95))} ms; load average ${os.loadavg().map(f1).join(" ")} on ` +
      `${os.cpus().length} cores`,
  );
  const idealSpan = (list.report.requests - 1) * (60_000 / PER_MINUTE);
  console.log(`baseline: ideal schedule, ${list.report.requests} requests at ${PER_MINUTE}/min: first → last ${f1(idealSpan / 1000)} s`);

  const jobs: CampaignJobs = { drain: async () => {}, startAt: async () => {} };
  // The HTTP exchange of each messenger call, timed from the request handed to fetch to its answer's
  // body read (attributed to the call through async context, since calls overlap when pipelined).
  const exchange = new AsyncLocalStorage<{ http: number }>();
  const timedFetch = async (input: string, init?: RequestInit) => {
    const s0 = performance.now();
    const res = await fetch(input, init);
    const body = await res.arrayBuffer();
    const st = exchange.getStore();
    if (st) st.http += performance.now() - s0;
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  const inner = wechatMessenger(h, { fetch: timedFetch });
  const verdicts: string[] = [];

  async function run(label: string, maxInFlight: number) {
    const id = await saveCampaign(
      db,
      actor,
      acc.id,
      null,
      { name: label, message: { type: "text", content: label }, sendIgnoreReprint: 0, audience: { kind: "list", listId: list.listId } },
      { message: { type: "text", content: label }, searchText: label },
    );
    await requestSend(db, jobs, actor, acc.id, id, null);
    const starts: number[] = [];
    let refusedForRate = 0;
    const aroundHttp = new Map<string, number>();
    const messenger: Messenger = {
      async send(req) {
        starts.push(performance.now());
        const st = { http: 0 };
        const m0 = performance.now();
        const o = await exchange.run(st, () => inner.send(req));
        aroundHttp.set(req.clientMsgId, performance.now() - m0 - st.http);
        if ((o.kind === "retry" || o.kind === "fail") && (o.errcode === 45011 || o.errcode === 45009)) refusedForRate++;
        return o;
      },
    };
    const own: number[] = [];
    const pipelineOwn: number[] = [];
    const messengerOwn: number[] = [];
    const wechat: number[] = [];
    const r = await drainCampaign(
      {
        handle: h,
        messenger,
        config: { maxInFlight },
        onBatch: (b, _o, ms) => {
          const m = aroundHttp.get(b.clientMsgId) ?? 0;
          own.push(ms.own + m);
          pipelineOwn.push(ms.own);
          messengerOwn.push(m);
          wechat.push(ms.wechat - m);
        },
      },
      id,
    );
    const span = starts[starts.length - 1] - starts[0];
    const perMin = ((starts.length - 1) / span) * 60_000;
    const [st] = (
      (await db.execute(
        sql`select count(*) filter (where state = 'submitted')::int as ok, count(*) filter (where errcode in (45009, 45011))::int as rate from
          campaign_batches where campaign_id = ${id}`,
      )) as unknown as { rows: { ok: number; rate: number }[] }
    ).rows;
    console.log(
      `${label}: ${JSON.stringify(r)}; ${st.ok} batches submitted; ${starts.length} requests, first → last ${f1(span / 1000)} s = ${f1(perMin)}/min of ` +
        `${PER_MINUTE} allowed = ${f1((perMin / PER_MINUTE) * 100)} % (${f1((idealSpan / span) * 100)} % of the ideal schedule); refused for rate: ` +
        `${refusedForRate} (rows with 45009/45011: ${st.rate})`,
    );
    console.log(
      `  load average ${os.loadavg().map(f1).join(" ")}; own work per batch: median ${f1(pct(own, 50))} ms, p95 ${f1(pct(own, 95))} ms, max ` +
        `${f1(Math.max(...own))} ms ` +
        `(pipeline ${f1(pct(pipelineOwn, 50))} / ${f1(pct(pipelineOwn, 95))} ms + messenger around the HTTP call ${f1(pct(messengerOwn, 50))} / ` +
        `${f1(pct(messengerOwn, 95))} ms, median / p95); ` +
        `WeChat's answer (the HTTP exchange): median ${f1(pct(wechat, 50))} ms, p95 ${f1(pct(wechat, 95))} ms`,
    );
    const rate = perMin / PER_MINUTE;
    if (rate < 0.95) verdicts.push(`${label}: rate ${f1(rate * 100)} % < 95 %`);
    if (refusedForRate > 0 || st.rate > 0) verdicts.push(`${label}: ${refusedForRate} requests refused for rate`);
    if (maxInFlight === 1 && pct(own, 95) >= 20) verdicts.push(`${label}: own work p95 ${f1(pct(own, 95))} ms ≥ 20 ms`);
    return wechat;
  }

  const serialWechat = await run("serial (one request in flight)", 1);
  await run("pipelined (default, up to 8 in flight)", 8);
  const minutes = (
    (await db.execute(sql`select key, count::int as n from sandbox_counters where appid = ${svc.appid} and key like 'minute:%' order by key`)) as unknown as {
      rows: { key: string; n: number }[];
    }
  ).rows;
  const full = minutes.slice(1, -1);
  console.log(
    `sandbox: mass requests counted per calendar minute: ${minutes.map((m) => m.n).join(", ")} (limit ${PER_MINUTE}; ${full.length} whole minutes ` +
      `inside the runs, at most ${Math.max(0, ...full.map((m) => m.n))})`,
  );
  if (full.length === 0) verdicts.push("no whole calendar minute inside the runs: the limit did not bind");

  // The runs may have filled this calendar minute: the bare requests go in the next one.
  await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 200));
  // Baseline: a bare HTTP round trip of one 10 000-OpenID send to the sandbox (token fetched once).
  const tok = (await (await fetch(`${sandbox.url}/sandbox-api/cgi-bin/token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).json()) as {
    access_token: string;
  };
  const touser = Array.from({ length: 10_000 }, (_, i) => openid(N + i));
  const bare: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    const r = (await (
      await fetch(`${sandbox.url}/sandbox-api/cgi-bin/message/mass/send?access_token=${tok.access_token}`, {
        method: "POST",
        body: JSON.stringify({ touser, msgtype: "text", text: { content: "bare" }, clientmsgid: `bare-${i}` }),
      })
    ).json()) as { errcode: number };
    if (r.errcode !== 0) throw new Error(`bare send: ${JSON.stringify(r)}`);
    bare.push(performance.now() - s);
  }
  console.log(
    `baseline: bare HTTP round trip of a 10 000-OpenID send: median ${f1(pct(bare, 50))} ms, max ${f1(Math.max(...bare))} ms (serial mode's exchange: ` +
      `${f1(pct(serialWechat, 50) / pct(bare, 50))}× it)`,
  );
  sandbox.stop();
  await dispose();
  console.log(verdicts.length ? `RESULT: goals missed: ${verdicts.join("; ")}` : "RESULT: every goal met");
  if (verdicts.length) process.exitCode = 1;
}

if (process.argv[2] === "--sandbox") {
  sandboxProcess(process.argv[3]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
