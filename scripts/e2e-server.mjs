#!/usr/bin/env node
// The console as the Playwright specs see it: a built `next start` on a fresh embedded database.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root, serverEnv } from "./lib.mjs";

const port = process.argv[2] || "3100";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-e2e-"));
const child = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", port, "-H", "127.0.0.1"], {
  cwd: root,
  stdio: "inherit",
  env: serverEnv({
    ...process.env,
    PORT: port,
    QUNFA_DATA_DIR: dataDir,
    QUNFA_PUBLIC_URL: `http://127.0.0.1:${port}`,
    QUNFA_SECRET_KEY: "e2e-secret-key-not-for-production",
    NEXT_TELEMETRY_DISABLED: "1",
    // The specs stand in for a proxy: a spec that plays an attacker names its own address in
    // X-Forwarded-For, so its guesses do not use up the allowance of 127.0.0.1, which every other
    // spec signs in from. A request without the header is still keyed on the connecting address.
    QUNFA_TRUSTED_PROXY_HOPS: "1",
  }),
});
const stop = () => {
  child.kill("SIGTERM");
};
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, stop);
child.on("exit", (code) => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
