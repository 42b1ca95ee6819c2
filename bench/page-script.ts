// Bench (pages' script): the JavaScript each page of the console makes the browser load
// on its first visit, as the browser receives it (gzip, what a phone on a slow line downloads) and
// unpacked (what it parses). Next 16's build no longer prints first-load sizes, so this measures in
// Debian's chromium against `next start` (started as `npm start` starts it, on a fresh embedded
// database with the sandbox), each page in a fresh browser context (nothing cached), signed in as
// the first admin. Budget: at most 200 KB gzip for every page but the news editor, whose editor
// library is its reason to exist. Exits non-zero when a page is over its budget.
// Needs a build (`npm start` or `npm test` makes one). Run: npx tsx bench/page-script.ts
// (BENCH_PORT to choose the port; BENCH_FILES=1 to list each page's script files, largest first.)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext } from "@playwright/test";
import { launchChromium, signedInContext, startNext, waitUp } from "./lib";

const PORT = Number(process.env.BENCH_PORT || 3190);
const BASE = `http://127.0.0.1:${PORT}`;
const BUDGET_KB = 200;
const EDITOR_BUDGET_KB = Number(process.env.BENCH_EDITOR_BUDGET_KB || 450);
// gzip KB per page before the last cuts (main at 15933d2, measured 2026-12-03), printed beside each figure.
const OLD_KB: Record<string, number> = {
  dashboard: 198,
  campaigns: 196,
  compose: 253,
  history: 202,
  media: 251,
  "news list": 199,
  "news editor": 490,
  audiences: 198,
  sandbox: 247,
  "admin users": 247,
  "admin audit": 196,
  profile: 246,
};

async function measure(browser: Browser, storage: Awaited<ReturnType<BrowserContext["storageState"]>>, route: string) {
  const ctx = await browser.newContext({ storageState: storage });
  const page = await ctx.newPage();
  const scripts: { url: string; encoded: number; decoded: number }[] = [];
  page.on("requestfinished", async (req) => {
    if (req.resourceType() !== "script") return;
    const sizes = await req.sizes().catch(() => null);
    const res = await req.response();
    const body = res ? await res.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
    if (sizes) scripts.push({ url: req.url(), encoded: sizes.responseBodySize, decoded: body.length });
  });
  await page.goto(`${BASE}${route}`, { waitUntil: "networkidle" });
  await page.waitForTimeout(300);
  await ctx.close();
  // BENCH_FILES=1 lists each page's files (what to look at when a page grows: grep the chunk in .next/static/chunks).
  if (process.env.BENCH_FILES)
    for (const s of [...scripts].sort((x, y) => y.encoded - x.encoded))
      console.log(`    ${(s.encoded / 1024).toFixed(1).padStart(6)} KB  ${new URL(s.url).pathname.replace("/_next/static/chunks/", "")}`);
  return { encoded: scripts.reduce((a, s) => a + s.encoded, 0), decoded: scripts.reduce((a, s) => a + s.decoded, 0), files: scripts.length };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-bench-pages-"));
  const server = startNext(PORT, dataDir);
  const browser = await launchChromium(["--disable-background-networking"]);
  let over = 0;
  try {
    await waitUp(BASE);
    const ctx = await signedInContext(browser, BASE);
    const page = await ctx.newPage();
    await page.goto(`${BASE}/`);
    await page.waitForURL(/\/a[0-9a-f]{16}$/);
    const account = new URL(page.url()).pathname.slice(1);
    // A news draft for the editor page and a campaign for its detail page.
    await page.goto(`${BASE}/${account}/news`);
    await page.getByRole("button", { name: /新建图文|New news/ }).click();
    await page.waitForURL(/\/news\/n[0-9a-f]{16}$/);
    const newsRoute = new URL(page.url()).pathname;
    const storage = await ctx.storageState();
    await ctx.close();
    const routes: [string, string][] = [
      ["dashboard", `/${account}`],
      ["campaigns", `/${account}/campaigns`],
      ["compose", `/${account}/campaigns/new`],
      ["history", `/${account}/history`],
      ["media", `/${account}/media`],
      ["news list", `/${account}/news`],
      ["news editor", newsRoute],
      ["audiences", `/${account}/audiences`],
      ["sandbox", `/sandbox`],
      ["admin users", `/admin/users`],
      ["admin audit", `/admin/audit`],
      ["profile", `/profile`],
    ];
    console.log(`page               gzip KB  (before)   unpacked KB  files  budget`);
    for (const [name, route] of routes) {
      const m = await measure(browser, storage, route);
      const budget = name === "news editor" ? EDITOR_BUDGET_KB : BUDGET_KB;
      const kb = m.encoded / 1024;
      if (kb > budget) over++;
      console.log(
        `${name.padEnd(18)} ${kb.toFixed(0).padStart(7)}  ${`(${OLD_KB[name] ?? "?"})`.padStart(8)}   ${(m.decoded / 1024).toFixed(0).padStart(11)}  ` +
          `${String(m.files).padStart(5)}  ${budget} ${kb > budget ? "OVER" : "ok"}`,
      );
    }
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (over) {
    console.error(`${over} page(s) over budget`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
