// Helpers shared by `npm start` and `npm test`: plain Node, no dependencies, so they run before
// `npm install` has.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts, env: { ...process.env, ...(opts.env ?? {}) } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export function must(cmd, args, opts) {
  const status = run(cmd, args, opts);
  if (status !== 0) {
    console.error(`\n[qunfa] ${cmd} ${args.join(" ")} failed with exit code ${status}`);
    process.exit(status);
  }
}

function fileHash(paths) {
  const h = crypto.createHash("sha256");
  for (const p of paths) {
    h.update(p);
    h.update(fs.readFileSync(path.join(root, p)));
  }
  return h.digest("hex");
}

function walk(dir, out) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return;
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) walk(rel, out);
    else out.push(rel);
  }
}

/** Dependencies are installed when node_modules matches the lockfile. */
export function ensureDependencies() {
  const lock = path.join(root, "package-lock.json");
  const marker = path.join(root, "node_modules", ".qunfa-lock-hash");
  const want = fs.existsSync(lock) ? fileHash(["package-lock.json", "package.json"]) : "none";
  if (fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === want) return;
  console.log("[qunfa] installing dependencies (npm install)…");
  // `npm ci` fails on this registry mirror (foreign-platform optional packages): install from the lockfile.
  must("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]);
  fs.writeFileSync(marker, want);
}

const BUILD_INPUTS = ["app", "components", "lib", "db", "i18n", "messages", "public"];
const BUILD_FILES = ["next.config.mjs", "package.json", "package-lock.json", "tsconfig.json", "postcss.config.mjs", "instrumentation.ts", "proxy.ts"];

export function sourceHash() {
  const files = [];
  for (const d of BUILD_INPUTS) walk(d, files);
  for (const f of BUILD_FILES) if (fs.existsSync(path.join(root, f))) files.push(f);
  files.sort();
  return fileHash(files.filter((f) => !f.endsWith(".test.ts")));
}

/** `next build` when there is no build of the current sources. */
export function ensureBuild() {
  const marker = path.join(root, ".next", "qunfa-source-hash");
  const want = sourceHash();
  if (fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === want) return;
  console.log("[qunfa] building the console (next build)…");
  // The build must never open the database: a page that reads it before calling headers() is
  // prerendered in a build worker, which then holds the embedded database's lock (a fresh clone's
  // `npm start` found its data folder "in use by …/jest-worker/processChild.js"). The build gets a
  // folder of its own and must leave it empty.
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-build-probe-"));
  must(path.join(root, "node_modules", ".bin", "next"), ["build"], { env: { NEXT_TELEMETRY_DISABLED: "1", QUNFA_DATA_DIR: probe, DATABASE_URL: "" } });
  const touched = fs.readdirSync(probe);
  fs.rmSync(probe, { recursive: true, force: true });
  if (touched.length > 0) {
    console.error(
      "\n[qunfa] next build opened the database: a page or layout reads it during prerendering. Call `await headers()` (or `await connection()`) before the first query.",
    );
    process.exit(1);
  }
  fs.writeFileSync(marker, want);
}

/**
 * The environment the console's server process runs with: `npm start`, the Playwright server and
 * the benches all start it through this, so what is measured is what runs (bench/README.md).
 * - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (V8's compiler and GC threads, the
 *   libuv pool) an arena of its own, and freed memory stays in them; two keep ~15–20 MB less resident.
 * - On the embedded database, PGlite lives in the server's process, so the process is tuned for
 *   footprint (a 1 000 000-OpenID import measured ~350 → ~280 MB at its peak with these):
 *   - a young generation of 2 × 4 MB instead of V8's 2 × 16 MB: an import churns short-lived strings
 *     through it until it reaches its maximum; minor collections run more often (each well under a
 *     millisecond);
 *   - an old generation of at most 512 MB (the console's live heap is ~50–80 MB): V8 sizes the next
 *     full collection's threshold by the heap's limit, and with the default (a quarter of the
 *     machine's memory) let ~4× the live heap build up before collecting;
 *   - glibc returns blocks of 64 KB and more to the system when they are freed (MALLOC_MMAP_THRESHOLD_)
 *     and trims its heap above 128 KB free (MALLOC_TRIM_THRESHOLD_): by default the thresholds rise
 *     with use, and an upload's buffers stayed in the heap after it.
 *   On PostgreSQL the server keeps V8's and glibc's defaults, where throughput matters more than one
 *   process's footprint. Whatever is already set is left alone.
 */
export function serverEnv(base = process.env) {
  const env = { ...base };
  env.MALLOC_ARENA_MAX ??= "2";
  if (!env.DATABASE_URL) {
    const nodeOptions = env.NODE_OPTIONS ?? "";
    const add = [];
    if (!/--max-semi-space-size/.test(nodeOptions)) add.push("--max-semi-space-size=4");
    if (!/--max-old-space-size/.test(nodeOptions)) add.push("--max-old-space-size=512");
    if (add.length) env.NODE_OPTIONS = [nodeOptions, ...add].filter(Boolean).join(" ");
    env.MALLOC_MMAP_THRESHOLD_ ??= "65536";
    env.MALLOC_TRIM_THRESHOLD_ ??= "131072";
  }
  return env;
}
