#!/usr/bin/env node
// `npm test`: install what is missing (dependencies; Debian's chromium when no browser is found),
// then typecheck, lint, the formatter's check, vitest (unit + integration on PGlite, and on PostgreSQL when
// TEST_DATABASE_URL is set) and the Playwright specs against `next start`.
import fs from "node:fs";
import path from "node:path";
import { ensureBuild, ensureDependencies, root, run } from "./lib.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";

ensureDependencies();

function findChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
}

let chromium = findChromium();
if (!chromium) {
  console.log("[qunfa] no Chromium found: installing Debian's chromium (apt-get)…");
  const sudo = process.getuid && process.getuid() !== 0 ? ["sudo"] : [];
  const apt = (args) => run(sudo[0] ?? "apt-get", sudo.length ? ["apt-get", ...args] : args, { env: { DEBIAN_FRONTEND: "noninteractive" } });
  apt(["update", "-qq"]);
  apt(["install", "-y", "-qq", "chromium"]);
  chromium = findChromium();
  if (!chromium) {
    console.error("[qunfa] Chromium could not be installed; set CHROMIUM_PATH to a Chromium binary.");
    process.exit(1);
  }
}
process.env.CHROMIUM_PATH = chromium;

const bin = (name) => path.join(root, "node_modules", ".bin", name);
const steps = [];
function step(name, fn) {
  const t0 = Date.now();
  console.log(`\n===== ${name}`);
  const status = fn();
  steps.push({ name, status, seconds: Math.round((Date.now() - t0) / 1000) });
  return status;
}

const only = process.argv[2];
if (!only || only === "static") {
  step("typecheck (tsc)", () => run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]));
  step("lint (eslint)", () => run(bin("eslint"), [".", "--max-warnings=0"]));
  step("format (prettier --check; `npx prettier --write .` fixes)", () => run(bin("prettier"), ["--check", "."]));
}
if (!only || only === "unit") {
  step(`vitest (unit + integration on PGlite${process.env.TEST_DATABASE_URL ? " and PostgreSQL" : ""})`, () => run(bin("vitest"), ["run"]));
}
if (!only || only === "e2e") {
  step("playwright (e2e against next start)", () => {
    ensureBuild();
    return run(bin("playwright"), ["test"]);
  });
}

console.log("\n===== summary");
for (const s of steps) console.log(`${s.status === 0 ? "ok  " : "FAIL"} ${s.name} (${s.seconds}s)`);
const failed = steps.filter((s) => s.status !== 0).length;
console.log(`${steps.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
