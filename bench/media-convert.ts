// Bench (media conversion): how long a marketer waits after a large picture has uploaded, while the
// console fits it to WeChat's limit for the kind (cover < 64 KB JPG, in-article < 1 MB, image
// material ≤ 10 MB). Worst cases: ~30 MB PNGs of random pixels, with and without transparency
// (nothing compresses them, so every size and quality is tried), and a 28 MB photo-like PNG. The
// baseline, in the same run, is the least any converter must do with the file: decode it once and
// encode it once as a JPG (sharp, default settings). Goal: every conversion ≤ 10 s on the project's
// machine, and ≤ 8× the baseline. Prints PASS/FAIL.
// Run: node --conditions=react-server --import tsx bench/media-convert.ts
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { prepareMedia } from "../lib/media/prepare";

const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const GOAL_MS = 10_000;
const GOAL_RATIO = 8;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function noise(width: number, height: number, channels: 3 | 4): Promise<Buffer> {
  const raw = randomBytes(width * height * channels);
  return sharp(raw, { raw: { width, height, channels } }).png({ compressionLevel: 1 }).toBuffer();
}

async function photo(): Promise<Buffer> {
  const circles = Array.from(
    { length: 300 },
    (_, i) => `<circle cx="${(i * 137) % 4000}" cy="${(i * 91) % 3000}" r="${20 + (i % 60)}" fill="hsl(${(i * 7) % 360},60%,50%)" opacity="0.6"/>`,
  );
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="#3a7"/><stop offset="1" stop-color="#e83"/></linearGradient></defs>` +
    `<rect width="4000" height="3000" fill="url(#g)"/>${circles.join("")}</svg>`;
  const base = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const grain = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 18 } } })
    .raw()
    .toBuffer();
  for (let i = 0; i < base.data.length; i++) base.data[i] = Math.max(0, Math.min(255, base.data[i] + grain[i] - 128));
  return sharp(base.data, { raw: base.info }).png().toBuffer();
}

async function main() {
  sharp.cache(false);
  const files = [
    { name: "noise RGBA 2800² PNG", bytes: await noise(2800, 2800, 4) },
    { name: "noise RGB 3200² PNG", bytes: await noise(3200, 3200, 3) },
    { name: "photo-like 4000×3000 PNG", bytes: await photo() },
  ];
  let pass = true;
  console.log(`kind       file                          size     baseline  conversion  ×     result`);
  for (const f of files) {
    const base: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      await sharp(f.bytes).jpeg().toBuffer();
      base.push(performance.now() - t0);
    }
    for (const kind of ["thumb", "inarticle", "image"] as const) {
      const times: number[] = [];
      let out = "";
      for (let r = 0; r < ROUNDS; r++) {
        const t0 = performance.now();
        const p = await prepareMedia(kind, f.bytes, "big.png");
        times.push(performance.now() - t0);
        out = `${p.type} ${(p.size / 1024).toFixed(0)} KB ${p.width}×${p.height}`;
      }
      const ms = median(times);
      const worst = Math.max(...times);
      const ratio = ms / median(base);
      const ok = worst <= GOAL_MS && ratio <= GOAL_RATIO;
      pass &&= ok;
      console.log(
        `${kind.padEnd(10)} ${f.name.padEnd(29)} ${(f.bytes.length / 1048576).toFixed(1).padStart(5)} MB ${median(base).toFixed(0).padStart(6)} ms ` +
          `${ms.toFixed(0).padStart(7)} ms (worst ${worst.toFixed(0)}) ${ratio.toFixed(1).padStart(4)}  ${out} ${ok ? "" : "FAIL"}`,
      );
    }
  }
  console.log(pass ? `PASS: every conversion ≤ ${GOAL_MS / 1000} s and ≤ ${GOAL_RATIO}× decode+encode` : "FAIL: a conversion missed its goal");
  process.exitCode = pass ? 0 : 1;
}

void main();
