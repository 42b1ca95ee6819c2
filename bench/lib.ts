// What several benches share: `next start` as `npm start` starts it, waiting for it, Debian's
// chromium, and signing in through the sign-in page as a person does.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { serverEnv } from "../scripts/lib.mjs";

/** The first admin a bench's server creates (QUNFA_ADMIN_EMAIL / QUNFA_ADMIN_PASSWORD). */
export const BENCH_ADMIN = { email: "bench@qunfa.test", password: "bench-password-123" };

/** `next start` on 127.0.0.1:port over the data folder, signed up with BENCH_ADMIN; `env` adds or overrides. */
export function startNext(port: number, dataDir: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: serverEnv({
      ...process.env,
      PORT: String(port),
      QUNFA_DATA_DIR: dataDir,
      QUNFA_ADMIN_EMAIL: BENCH_ADMIN.email,
      QUNFA_ADMIN_PASSWORD: BENCH_ADMIN.password,
      QUNFA_PUBLIC_URL: `http://127.0.0.1:${port}`,
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    }),
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Waits (up to two minutes) until the server at `base` answers its health route. */
export async function waitUp(base: string) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("server did not start");
}

/** Debian's chromium (CHROMIUM_PATH), headless; `args` adds flags. */
export function launchChromium(args: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", ...args],
  });
}

/** A browser context signed in as BENCH_ADMIN through the sign-in page. */
export async function signedInContext(browser: Browser, base: string): Promise<BrowserContext> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(/邮箱|Email/).fill(BENCH_ADMIN.email);
  await page.getByLabel(/^(密码|Password)$/).fill(BENCH_ADMIN.password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  await page.close();
  return ctx;
}
