// Bench (durability): what fsync costs the embedded database. Two PGlite databases in one
// process, one with fsync reaching the disk (db/durable-pglite.ts, the default) and one without
// (QUNFA_PGLITE_FSYNC=off, the old behaviour), the same work on each in alternating rounds so the
// machine's load falls on both alike: single-row commits (a callback record, a batch result) and a
// 100-row transaction (a campaign's batches written at once). Prints medians and the ratio
// durable / not durable. Run: node --conditions=react-server --import tsx bench/durability.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase, type DbHandle } from "../db/client";
import { embeddedFsyncCount } from "../db/durable-pglite";

const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const COMMITS = 200;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function open(fsync: "on" | "off") {
  process.env.QUNFA_PGLITE_FSYNC = fsync;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qunfa-bench-durable-${fsync}-`));
  const h = await openDatabase({ dataDir: dir, migrate: false });
  await h.pglite!.exec("create table rec (id bigserial primary key, k text not null, v jsonb not null, at timestamptz not null default now())");
  return { h, dir };
}

async function singleCommits(h: DbHandle): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < COMMITS; i++)
    await h.pglite!.query("insert into rec (k, v) values ($1, $2)", [`msg:${i}`, JSON.stringify({ status: "send success", i })]);
  return (performance.now() - t0) / COMMITS;
}

async function batchTx(h: DbHandle): Promise<number> {
  const t0 = performance.now();
  await h.pglite!.transaction(async (tx) => {
    for (let i = 0; i < 100; i++) await tx.query("insert into rec (k, v) values ($1, $2)", [`batch:${i}`, JSON.stringify({ openids: 10_000, i })]);
  });
  return performance.now() - t0;
}

async function main() {
  const on = await open("on");
  const off = await open("off");
  const res = { on: { single: [] as number[], tx: [] as number[] }, off: { single: [] as number[], tx: [] as number[] } };
  const fsyncs0 = embeddedFsyncCount();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, db] of r % 2
      ? ([
          ["off", off],
          ["on", on],
        ] as const)
      : ([
          ["on", on],
          ["off", off],
        ] as const)) {
      res[name].single.push(await singleCommits(db.h));
      for (let k = 0; k < 5; k++) res[name].tx.push(await batchTx(db.h));
    }
  }
  const fsyncs = embeddedFsyncCount() - fsyncs0;
  const commits = ROUNDS * (COMMITS + 5);
  console.log(
    `rounds ${ROUNDS}, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  console.log(`real fsyncs by the durable database: ${fsyncs} for ${commits} commits (${(fsyncs / commits).toFixed(2)} a commit)`);
  const row = (label: string, a: number, b: number, unit: string) =>
    console.log(`${label.padEnd(34)} durable ${a.toFixed(2)} ${unit}   not durable ${b.toFixed(2)} ${unit}   × ${(a / b).toFixed(2)}`);
  row("single-row commit (median of rounds)", median(res.on.single), median(res.off.single), "ms");
  row("100-row transaction (median)", median(res.on.tx), median(res.off.tx), "ms");
  await on.h.close();
  await off.h.close();
  for (const d of [on.dir, off.dir]) fs.rmSync(d, { recursive: true, force: true });
  if (fsyncs < commits) {
    console.error("FAIL: fewer fsyncs than commits: the durable database does not reach the disk at each commit");
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
