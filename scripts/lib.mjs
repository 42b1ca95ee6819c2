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
const BUILD_FILES = ["next.config.ts", "package.json", "package-lock.json", "tsconfig.json", "postcss.config.mjs", "instrumentation.ts", "proxy.ts"];

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
    console.error("\n[qunfa] next build opened the database: a page or layout reads it during prerendering. Call `await headers()` (or `await connection()`) before the first query.");
    process.exit(1);
  }
  fs.writeFileSync(marker, want);
}
