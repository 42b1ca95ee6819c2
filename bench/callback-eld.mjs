// Preloaded into the server by bench/callback.ts only (NODE_OPTIONS=--import): the event loop's
// delay while a run is measured. On SIGUSR2 it writes the histogram since the last signal (ms) to
// BENCH_ELD_FILE and starts a new one. Never part of `npm start`.
import fs from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_ELD_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  process.on("SIGUSR2", () => {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    fs.writeFileSync(
      `${file}.${process.pid}`,
      JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), count: h.count }),
    );
    h.reset();
  });
}
