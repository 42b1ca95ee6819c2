// Bench: importing a 1 000 000-OpenID CSV (≈ 29 MB) — validated, de-duplicated and
// stored — takes at most 4× a bare read + split + Set over the same file measured in the same run,
// with peak RSS of the server under 300 MB.
//
// The file is generated here (1 000 000 OpenIDs under an `openid` header, with 1 % duplicates,
// 0.1 % malformed lines and a few blanks). The baseline runs in this process. For each database, a
// child process prepares it (migrations, the first admin, an account, a signed-in session); then
//  1. the goal's measure: `next start` on it, the file POSTed as a stream to the console's upload
//     route (`/{accountId}/audiences/upload`), the request's time and the server's peak RSS
//     (VmHWM from /proc: the engine is inside the process on PGlite);
//  2. for reference, the import code alone (`createAudienceList` reading the file from disk) in a
//     process of its own without Next, its time and peak RSS (process.resourceUsage().maxRSS).
// Needs a build (`npx next build`). Run:
//   node --conditions=react-server --import tsx bench/audience-import.ts [postgres://…]
//   (BENCH_DATABASE_URL works too; BENCH_OPENIDS changes the size, BENCH_PORT the server's port)
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { serverEnv } from "../scripts/lib.mjs";
import { appRoutes } from "../e2e/routes";

const N = Number(process.env.BENCH_OPENIDS || 1_000_000);
const RATIO_GOAL = 4;
const RSS_GOAL_MB = 300;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const root = path.resolve(import.meta.dirname, "..");

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

/**
 * Phase 1, a process of its own: a fresh database (PGlite folder or PostgreSQL database, from
 * QUNFA_DATA_DIR / DATABASE_URL as the server reads them), migrated, with the first admin, an
 * account, a news draft and a signed-in session for the server phase. Prints {"userId", "cookie", "draftId"}.
 */
async function prepare() {
  const { getDbHandle } = await import("../db/client");
  const { createFirstAdmin } = await import("../lib/users/user-service");
  const { getAuth } = await import("../lib/auth/auth");
  const { sql } = await import("drizzle-orm");
  const h = await getDbHandle();
  const userId = await createFirstAdmin(h.db, { name: "Li", email: "li@x.test", password: "bench-password-1" });
  await h.db.execute(
    sql`insert into wechat_accounts (id, name, appid, type, app_secret_enc, callback_token_enc) values ('a1','A','wx1234567890abcdef','service','x','x')`,
  );
  // better-auth signs the session cookie with the console's secret: the server phase shares QUNFA_SECRET_KEY.
  const res = await (await getAuth()).api.signInEmail({ body: { email: "li@x.test", password: "bench-password-1" }, asResponse: true });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie.includes("session_token")) throw new Error(`no session cookie: ${res.status}`);
  // A news draft whose editor page the server renders before the upload: the server has then done
  // news work (the article sanitizer is loaded, as on any console in use).
  const { createDraft } = await import("../lib/news/news-service");
  const { emptyArticle } = await import("../lib/news/schemas");
  const content = (
    '<section style="margin:0 8px"><p style="color:#333;font-size:15px">正文 <span style="color:#c00">要点</span></p>' +
    '<img src="https://mmbiz.qpic.cn/mmbiz/x/0" style="width:100%"></section>'
  ).repeat(20);
  const draft = await createDraft(h.db, { id: userId, email: "li@x.test" }, "a1", [{ ...emptyArticle(), title: "Bench article", content } as never]);
  await h.close();
  process.stdout.write(JSON.stringify({ userId, cookie, draftId: draft.id }) + "\n");
}

/**
 * Phase 2, a process of its own, as the server is at work: it opens the existing database (PGlite's
 * first start, which runs initdb, takes far more memory than later opens and is not measured)
 * and imports the file with the real createAudienceList, streaming it from disk.
 */
async function importPhase(target: string, file: string, userId: string) {
  const { openDatabase } = await import("../db/client");
  const { sql } = await import("drizzle-orm");
  const { createAudienceList } = await import("../lib/audiences/lists");
  const h = await openDatabase(target.startsWith("postgres") ? { databaseUrl: target } : { dataDir: target });
  const beforeMb = process.memoryUsage().rss / 1048576;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  const r = await createAudienceList(h.db, { id: userId, email: "li@x.test" }, "a1", "bench alone", fs.createReadStream(file, { highWaterMark: 1 << 16 }), {
    sizeHint: fs.statSync(file).size,
  });
  const ms = performance.now() - t;
  clearInterval(sampler);
  if ("error" in r) throw new Error("import failed");
  const stored = Number(
    ((await h.db.execute(sql`select sum(count)::int as n from audience_list_chunks where list_id = ${r.listId}`)) as unknown as { rows: { n: number }[] })
      .rows[0].n,
  );
  if (stored !== r.report.valid) throw new Error(`stored ${stored} of ${r.report.valid}`);
  await h.close();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, report: r.report, maxRssMb, sampledPeakMb: peak / 1048576, beforeMb, peakMb: maxRssMb }) + "\n");
}

async function withDatabase<T>(url: string | null, fn: (target: string) => Promise<T>): Promise<T> {
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-import-"));
    try {
      return await fn(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const { createPgDatabase } = await import("../test/support/pg-database");
  const database = await createPgDatabase(url, "qunfa_bench");
  try {
    return await fn(database.url);
  } finally {
    await database.drop();
  }
}

const PORT = Number(process.env.BENCH_PORT || 3292);
const mbOf = (pid: number, field: "VmRSS" | "VmHWM") =>
  Number(
    /(\d+) kB/.exec(
      fs
        .readFileSync(`/proc/${pid}/status`, "utf8")
        .split("\n")
        .find((l) => l.startsWith(field)) ?? "",
    )?.[1] ?? 0,
  ) / 1024;

interface Outcome {
  ms: number;
  report: { linesRead: number; valid: number; invalid: number; duplicates: number; blank: number; requests: number };
  peakMb: number;
  sampledPeakMb: number;
  beforeMb: number;
}

/**
 * The goal's measure: `next start` on the prepared database, the file POSTed as a stream to the
 * console's upload route with the admin's session, the server's peak RSS from /proc (VmHWM: the
 * whole life of the process, its start included) and the request's time.
 */
type Launch = "bare" | "npm start" | "npm start, warm";
const LAUNCH_LABEL: Record<Launch, string> = {
  bare: "bare next start (Node's defaults)",
  "npm start": "next start as npm start runs it",
  "npm start, warm": "the same, every page rendered once first",
};

async function serverImport(dbEnv: Record<string, string>, cookie: string, draftId: string, file: string, launch: Launch): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...dbEnv, PORT: String(PORT), QUNFA_SANDBOX: "off", NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
  // "npm start": the process as scripts/start.mjs starts it (serverEnv: allocator arenas, young
  // generation); "bare": `next start` with Node's defaults, for comparison.
  const server = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: launch === "bare" ? env : serverEnv(env),
  });
  try {
    const base = `http://127.0.0.1:${PORT}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 240) throw new Error("next start did not answer");
      await new Promise((r) => setTimeout(r, 500));
    }
    const page = await fetch(`${base}/a1/news/${draftId}`, { headers: { cookie } });
    if (!page.ok || !(await page.text()).includes("Bench article")) throw new Error(`the news editor page answered ${page.status}`);
    if (launch === "npm start, warm") {
      // A console in use has loaded every page's server code: render each page once, as the admin.
      for (const r of appRoutes()) {
        if (r.kind !== "page") continue;
        const res = await fetch(base + r.url.replace("a0000000000000000", "a1").replace("/news/x1", `/news/${draftId}`), {
          headers: { cookie },
          redirect: "manual",
        });
        await res.arrayBuffer();
        if (res.status >= 500) throw new Error(`${r.url} answered ${res.status}`);
      }
    }
    await new Promise((r) => setTimeout(r, 2000)); // let start-up work (workers, sweeps) settle
    const pid = server.pid!;
    const beforeMb = mbOf(pid, "VmRSS");
    let sampled = beforeMb;
    const sampler = setInterval(() => (sampled = Math.max(sampled, mbOf(pid, "VmRSS"))), 20);
    const t = performance.now();
    // As the console's page sends it (XMLHttpRequest.send(file)): the file as the body, with its
    // Content-Length.
    const res = await new Promise<{ ok: boolean; status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        `${base}/a1/audiences/upload?name=bench`,
        { method: "POST", headers: { cookie, origin: base, "content-type": "text/csv", "content-length": fs.statSync(file).size } },
        (r) => {
          let text = "";
          r.setEncoding("utf8");
          r.on("data", (c: string) => (text += c));
          r.on("end", () => resolve({ ok: r.statusCode === 200, status: r.statusCode ?? 0, text }));
          r.on("error", reject);
        },
      );
      req.on("error", reject);
      fs.createReadStream(file, { highWaterMark: 1 << 16 }).pipe(req);
    });
    const body = JSON.parse(res.text) as { report?: Outcome["report"]; error?: string };
    const ms = performance.now() - t;
    clearInterval(sampler);
    if (!res.ok || !body.report) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
    return { ms, report: body.report, peakMb: mbOf(pid, "VmHWM"), sampledPeakMb: sampled, beforeMb };
  } finally {
    await new Promise<void>((r) => (server.exitCode !== null ? r() : (server.once("exit", () => r()), server.kill("SIGTERM"))));
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--prepare") return prepare();
  if (args[0] === "--import") return importPhase(args[1], args[2], args[3]);
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("build first: npx next build");
  const url = args[0] || process.env.BENCH_DATABASE_URL || null;
  process.env.QUNFA_SECRET_KEY = "bench-import-secret";
  process.env.QUNFA_PUBLIC_URL = `http://127.0.0.1:${PORT}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-openids-"));
  const file = path.join(dir, "openids.csv");
  const bytes = generate(file);
  console.log(`file: ${N.toLocaleString("en")} OpenID lines, ${(bytes / 1e6).toFixed(1)} MB`);
  baseline(file); // warm the page cache and the JIT
  // The machine's load drifts over a run (the baseline alone has measured 330–1 300 ms here), so
  // each server import is divided by a baseline measured just before it, and a round is repeated.
  const freshBaseline = () => median([baseline(file), baseline(file), baseline(file)]);
  const self = fileURLToPath(import.meta.url);
  let ok = true;
  for (const target of [null, ...(url ? [url] : [])]) {
    const name = target ? "PostgreSQL" : "PGlite";
    const run = (env: Record<string, string>, ...a: string[]) =>
      spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", self, ...a], {
        encoding: "utf8",
        env: { ...process.env, ...env },
        maxBuffer: 1 << 24,
      });
    const lastJson = (p: ReturnType<typeof run>, what: string) => {
      const line = p.stdout.trim().split("\n").pop() ?? "";
      if (p.status !== 0 || !line.startsWith("{")) throw new Error(`${name}: ${what} failed\n${p.stderr}`);
      return JSON.parse(line);
    };
    try {
      await withDatabase(target, async (db) => {
        const dbEnv: Record<string, string> = target ? { DATABASE_URL: db } : { QUNFA_DATA_DIR: db };
        const { userId, cookie, draftId } = lastJson(run(dbEnv, "--prepare"), "prepare") as { userId: string; cookie: string; draftId: string };
        const rounds: { ratio: number; peakMb: number }[] = [];
        let warm = { ratio: 0, peakMb: 0 };
        for (let round = 1; round <= ROUNDS; round++) {
          for (const launch of round === 1 ? (["bare", "npm start", "npm start, warm"] as const) : (["npm start"] as const)) {
            const base = freshBaseline();
            const server = await serverImport(dbEnv, cookie, draftId, file, launch);
            const ratio = server.ms / base;
            const r = server.report;
            if (r.linesRead !== N || r.valid + r.invalid + r.duplicates + r.blank !== N)
              throw new Error(`${name}: the report does not add up: ${JSON.stringify(r)}`);
            console.log(
              `${name}, ${LAUNCH_LABEL[launch]}, round ${round}: baseline ${base.toFixed(0)} ms, import through the upload route ` +
                `${server.ms.toFixed(0)} ms = ${ratio.toFixed(2)}×; server RSS ${server.beforeMb.toFixed(0)} MB idle → peak ${server.peakMb.toFixed(0)} ` +
                `MB (sampled during the upload ${server.sampledPeakMb.toFixed(0)} MB)`,
            );
            if (launch === "npm start") rounds.push({ ratio, peakMb: server.peakMb });
            if (launch === "npm start, warm") warm = { ratio, peakMb: server.peakMb };
          }
        }
        const ratio = median(rounds.map((x) => x.ratio));
        const peak = Math.max(...rounds.map((x) => x.peakMb));
        const pass = ratio <= RATIO_GOAL && peak < RSS_GOAL_MB;
        const warmPass = warm.ratio <= RATIO_GOAL && warm.peakMb < RSS_GOAL_MB;
        ok &&= pass && warmPass;
        console.log(
          `${name}: median ${ratio.toFixed(2)}× (goal ≤ ${RATIO_GOAL}×), highest peak ${peak.toFixed(0)} MB (goal < ${RSS_GOAL_MB} MB) over ${ROUNDS} ` +
            `rounds: ${pass ? "met" : "MISSED"}; warm server ${warm.ratio.toFixed(2)}×, peak ${warm.peakMb.toFixed(0)} MB: ${warmPass ? "met" : "MISSED"}`,
        );
        const base = freshBaseline();
        const alone = lastJson(run(dbEnv, "--import", db, file, userId), "import") as Outcome & { maxRssMb: number };
        console.log(
          `${name}, the import code alone in a process (no Next): ${alone.ms.toFixed(0)} ms = ${(alone.ms / base).toFixed(2)}×; peak RSS ` +
            `${alone.maxRssMb.toFixed(0)} MB (${alone.beforeMb.toFixed(0)} MB with the database open)`,
        );
        const r = alone.report;
        console.log(
          `  report: ${r.linesRead} lines, ${r.valid} valid, ${r.invalid} invalid, ${r.duplicates} duplicates, ${r.blank} blank, ${r.requests} requests`,
        );
      });
    } catch (e) {
      console.error((e as Error).message);
      ok = false;
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (!ok) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
