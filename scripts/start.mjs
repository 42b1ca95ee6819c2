#!/usr/bin/env node
// `npm start`: install what is missing, build if needed, then serve. Migrations, the first admin
// (QUNFA_ADMIN_EMAIL/PASSWORD) and the sandbox seed run inside the server at start (lib/boot/index.ts).
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { ensureBuild, ensureDependencies, root, serverEnv } from "./lib.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
ensureDependencies();
ensureBuild();

const port = process.env.PORT || "3000";
const child = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", port, ...process.argv.slice(2)], {
  cwd: root,
  stdio: ["inherit", "pipe", "inherit"],
  env: serverEnv({ ...process.env, PORT: port }),
});
// Next's banner lists the experimental settings qunfa relies on (the server actions' body limit,
// forbidden() pages) under "Experiments (use with caution)": words for Next's developers, which
// read like a warning to whoever starts the console. They are left out; every other line is passed on.
let inExperiments = false;
readline.createInterface({ input: child.stdout }).on("line", (line) => {
  if (/Experiments \(use with caution\)/.test(line)) inExperiments = true;
  else if (inExperiments && /^\s+[·✓✗⨯-]\s/.test(line)) return;
  else inExperiments = false;
  if (!inExperiments) process.stdout.write(line + "\n");
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
