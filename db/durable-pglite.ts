import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";

/**
 * The embedded database made to keep what it acknowledged through a power cut, not only through a
 * crash of the console's process.
 *
 * PGlite starts PostgreSQL with `-F` (fsync off), and even with fsync on its file system layer
 * (Emscripten's NODEFS) has no fsync of its own: PostgreSQL's fdatasync is a no-op there and its
 * fsync reaches a stream operation NODEFS does not define, so a commit was only ever in the
 * operating system's page cache (measured with strace: 0 fsync/fdatasync system calls for 200
 * commits, fsync "on" or "off"). A committed campaign, batch or callback record then survives the
 * console's process being killed, but not the machine losing power in the next ~30 s, and a WAL
 * written out of order can leave the folder unreadable — the case `npm start`'s users (one machine,
 * no operator) are the most likely to meet.
 *
 * So: PostgreSQL runs with fsync on and `wal_sync_method = fsync` (the one method that reaches the
 * file system layer), and the NODEFS stream gets an fsync that calls the real one on the real file.
 * What it costs is in bench/README.md (durability). `QUNFA_PGLITE_FSYNC=off` gives the old
 * behaviour to whoever prefers speed to it.
 */
export const DURABLE_START_PARAMS = [...PGlite.defaultStartParams.filter((p) => p !== "-F"), "-c", "wal_sync_method=fsync"];

interface NodeFsStream {
  nfd?: number;
  stream_ops?: { fsync?: (s: NodeFsStream) => number } & Record<string, unknown>;
}

const counter = { fsyncs: 0 };

/** How many real fsyncs the embedded database has asked for in this process (tests read it). */
export function embeddedFsyncCount(): number {
  return counter.fsyncs;
}

/**
 * Gives NODEFS's stream operations (one object shared by every file the database opens) an fsync.
 * Returns false when PGlite's internals are not what this was written against: the caller says so
 * in the log rather than claim a durability it does not have.
 */
export function syncThroughToDisk(client: PGlite): boolean {
  const mod = (client as unknown as { mod?: { FS?: { streams?: (NodeFsStream | null)[] } } }).mod;
  const stream = mod?.FS?.streams?.find((s): s is NodeFsStream => !!s && typeof s.nfd === "number" && !!s.stream_ops);
  if (!stream?.stream_ops) return false;
  stream.stream_ops.fsync = (s: NodeFsStream) => {
    if (typeof s.nfd === "number") {
      fs.fsyncSync(s.nfd);
      counter.fsyncs++;
    }
    return 0;
  };
  return true;
}
