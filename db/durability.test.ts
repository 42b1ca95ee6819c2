import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

/**
 * A power cut, simulated: a child process opens the embedded database and, from then on, a copy
 * of the data folder receives a file's content only when that file is fsynced — what a disk holds
 * once the operating system's page cache is gone. The child commits rows one by one, writes "ack"
 * after each commit returns, and kills itself with SIGKILL after the last. The copy is then opened
 * as the database the machine would find at its next boot.
 */
/** A child process to its end (async: a blocked test worker misses vitest's heartbeat). */
function run(script: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    c.stdout.on("data", (d) => (stdout += d));
    c.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => c.kill("SIGTERM"), 90_000);
    c.on("error", reject);
    c.on("close", (_code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, signal });
    });
  });
}

const COMMITS = 15;

async function powerCut(fsync: "on" | "off"): Promise<{ acked: number; survived: number | string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-power-"));
  const disk = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-disk-"));
  dirs.push(dir, disk);
  const child = `
    import fs from "node:fs";
    import path from "node:path";
    const m = await import("./db/client.ts"); const openDatabase = m.openDatabase ?? m.default.openDatabase;
    const [dir, disk] = [${JSON.stringify(dir)}, ${JSON.stringify(disk)}];
    const h = await openDatabase({ dataDir: dir, migrate: false });
    await h.pglite.exec("create table probe (i int primary key); checkpoint;");
    fs.cpSync(path.join(dir, "pglite"), path.join(disk, "pglite"), { recursive: true });
    const realFsync = fs.fsyncSync;
    fs.fsyncSync = (fd) => {
      realFsync(fd);
      const file = fs.readlinkSync("/proc/self/fd/" + fd);
      if (file.startsWith(dir + path.sep)) {
        const to = path.join(disk, path.relative(dir, file));
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.copyFileSync(file, to);
      }
    };
    for (let i = 1; i <= ${COMMITS}; i++) {
      await h.pglite.query("insert into probe values ($1)", [i]);
      fs.writeSync(1, "ack " + i + "\\n");
    }
    process.kill(process.pid, "SIGKILL");
  `;
  const r = await run(child, { QUNFA_PGLITE_FSYNC: fsync });
  const acked = (r.stdout.match(/^ack \d+$/gm) ?? []).length;
  expect(r.signal, r.stderr).toBe("SIGKILL");
  const check = `
    const m = await import("./db/client.ts"); const openDatabase = m.openDatabase ?? m.default.openDatabase;
    try {
      const h = await openDatabase({ dataDir: ${JSON.stringify(disk)}, migrate: false });
      const r = await h.pglite.query("select count(*)::int as n from probe");
      console.log(JSON.stringify(r.rows[0].n));
      await h.close();
    } catch (e) {
      console.log(JSON.stringify("unreadable: " + e.message));
    }
  `;
  const after = await run(check, {});
  const last = after.stdout.trim().split("\n").pop() ?? '"no answer"';
  return { acked, survived: JSON.parse(last) as number | string };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("the embedded database after a power cut", () => {
  it("keeps every commit it acknowledged (fsync reaches the disk)", async () => {
    const { acked, survived } = await powerCut("on");
    expect(acked).toBe(COMMITS);
    expect(survived).toBe(COMMITS);
  });

  it("the simulation can fail: with QUNFA_PGLITE_FSYNC=off the acknowledged commits are lost", async () => {
    const { acked, survived } = await powerCut("off");
    expect(acked).toBe(COMMITS);
    expect(survived).not.toBe(COMMITS);
  });
});
