import fs from "node:fs";
import path from "node:path";

/**
 * PGlite has no lock of its own: two processes opening one folder corrupt it. A lock file created
 * with O_EXCL records who holds it; a lock left by a dead process is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
    readonly holderInfo: string,
  ) {
    super(
      `The embedded database in ${dir} is in use by process ${holderPid} (${holderInfo}). ` +
        `Stop that process first, or set QUNFA_DATA_DIR to another folder, or DATABASE_URL to share a PostgreSQL.`,
    );
    this.name = "DataDirLockedError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const held = new Set<string>();

export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "qunfa.lock");
  if (held.has(file)) return () => {};
  const mine = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), cmd: process.argv.slice(1, 3).join(" ") });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: "wx", mode: 0o600 });
      held.add(file);
      const release = () => {
        try {
          const cur = JSON.parse(fs.readFileSync(file, "utf8")) as { pid: number };
          if (cur.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
        held.delete(file);
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let holder: { pid?: number; startedAt?: string; cmd?: string } = {};
      try {
        holder = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch {
        // Half-written by a process that is creating it right now: look again.
        continue;
      }
      if (holder.pid === process.pid) {
        held.add(file);
        return () => {};
      }
      if (holder.pid && alive(holder.pid)) {
        throw new DataDirLockedError(dir, holder.pid, `started ${holder.startedAt ?? "?"}, ${holder.cmd ?? "?"}`);
      }
      // Stale lock from a process that died: remove and retry.
      try {
        fs.unlinkSync(file);
      } catch {
        /* someone else removed it */
      }
    }
  }
  throw new Error(`Could not lock ${file}`);
}
