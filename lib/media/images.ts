import "server-only";
import type Sharp from "sharp";
import { MediaRuleError } from "./errors";
import type { MediaKind } from "./limits";

let loading: Promise<typeof Sharp> | null = null;

/**
 * sharp (libvips) on first use, not when a page that may convert an image is loaded: the library
 * maps ~12 MB into the process. Its operation cache is off: every upload is a new picture, so the
 * cache could only hold on to memory (up to 50 MB by default) in a server that shares its process
 * with the embedded database (the console's memory budget, bench/audience-import.ts).
 */
function loadSharp(): Promise<typeof Sharp> {
  loading ??= import("sharp").then((m) => {
    m.default.cache(false);
    return m.default;
  });
  return loading;
}

export interface ImageOut {
  bytes: Buffer;
  type: "jpg" | "png" | "gif";
  width: number | null;
  height: number | null;
  steps: string[];
}

export interface ImageInfo {
  width: number | null;
  height: number | null;
  hasAlpha: boolean;
  pages: number;
}

export async function imageInfo(bytes: Buffer): Promise<ImageInfo> {
  const sharp = await loadSharp();
  try {
    const m = await sharp(bytes, { pages: 1 }).metadata();
    return { width: m.autoOrient?.width ?? m.width ?? null, height: m.autoOrient?.height ?? m.height ?? null, hasAlpha: !!m.hasAlpha, pages: m.pages ?? 1 };
  } catch {
    throw new MediaRuleError("unreadable", null);
  }
}

interface Plan {
  max: number;
  sides: number[];
  qualities: number[];
  /** Try a lossless-looking PNG (palette) first, for images with transparency. */
  pngFirst: boolean;
}

/** One encoder the search tries: a palette PNG, or a JPG at one quality. */
type Candidate = { png: true } | { png: false; quality: number };

/** What the image is decoded to once: its pixels after EXIF rotation, at most `side` on its longest edge. */
interface Decoded {
  data: Buffer;
  raw: { width: number; height: number; channels: 1 | 2 | 3 | 4; premultiplied: boolean };
}

/**
 * The pixel counts up to which a careful encode is worth its time: mozjpeg ~0.7 s per million
 * pixels on the project's machine; a palette at effort 7 ~2.7 s per million (a 2560² palette took
 * 18 s), so that one only for small pictures.
 */
const CAREFUL_PIXELS = { jpg: 4_000_000, png: 1_000_000 };

/**
 * The largest picture a palette PNG is tried at: quantising takes ~1 s per million pixels even at
 * the lowest effort, and a transparent picture larger than this keeps its size as a JPG on white
 * (which is what WeChat's white article page shows of it) rather than keep the marketer waiting.
 */
const PALETTE_MAX_PIXELS = 2_100_000;

/**
 * Re-encodes until the file is at most `max` bytes: each size from the largest, each quality from
 * the best, the first that fits wins. EXIF orientation is applied, metadata dropped.
 *
 * A 30 MB PNG of noise took 40 s this way when every try decoded the file again and encoded with
 * mozjpeg (a walkthrough's upload "never finished" at load): the file is now decoded once, the
 * search encodes with the fast encoders and skips any size where the same encoder's last result,
 * scaled by the pixel count, is clearly too large; only the winner is encoded again carefully
 * (mozjpeg, which is smaller at the same quality, so it still fits).
 */
async function encodeUnder(kind: MediaKind, input: Buffer, info: ImageInfo, p: Plan): Promise<ImageOut> {
  const longest = Math.max(info.width ?? 0, info.height ?? 0) || p.sides[0];
  const sides = [...new Set(p.sides.map((s) => Math.min(s, longest)))].sort((a, b) => b - a);
  const sharp = await loadSharp();
  let decoded: Decoded;
  try {
    const { data, info: o } = await sharp(input, { pages: 1 })
      .rotate()
      .resize({ width: sides[0], height: sides[0], fit: "inside", withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    // A resize leaves transparent pixels premultiplied; the palette quantiser is slower on those
    // (measured 4.6 s against 3.2 s at 2560²), so they are made straight once here.
    const straight = o.premultiplied
      ? await sharp(data, { raw: { width: o.width, height: o.height, channels: o.channels, premultiplied: true } })
          .raw()
          .toBuffer()
      : data;
    decoded = { data: straight, raw: { width: o.width, height: o.height, channels: o.channels, premultiplied: false } };
  } catch {
    throw new MediaRuleError("unreadable", kind);
  }
  const candidates: Candidate[] = [
    ...(p.pngFirst && info.hasAlpha ? [{ png: true } as const] : []),
    ...p.qualities.map((quality) => ({ png: false as const, quality })),
  ];
  // Bytes per pixel each candidate gave last; a smaller size is skipped when it predicts 15 % over.
  const bytesPerPixel = new Map<Candidate, number>();
  const pipelineAt = (side: number) => {
    const s = sharp(decoded.data, { raw: decoded.raw });
    return side < Math.max(decoded.raw.width, decoded.raw.height) ? s.resize({ width: side, height: side, fit: "inside" }) : s;
  };
  // The search's JPG: libjpeg with mozjpeg's quantisation table and optimised coding, ~10× faster
  // than mozjpeg and at most ~1.4× its size (trellis quantisation makes the rest); a palette PNG at
  // the lowest effort, within a few percent of the careful one.
  const encode = (side: number, c: Candidate, careful: boolean) =>
    c.png
      ? pipelineAt(side)
          .png({ palette: true, compressionLevel: 9, effort: careful ? 7 : 1 })
          .toBuffer({ resolveWithObject: true })
      : pipelineAt(side)
          .flatten({ background: "#ffffff" })
          .jpeg(careful ? { quality: c.quality, mozjpeg: true } : { quality: c.quality, quantisationTable: 3, optimiseCoding: true })
          .toBuffer({ resolveWithObject: true });
  /** How much larger than the careful encode the fast one can be, so a near miss is worth a careful try. */
  const slack = (c: Candidate) => (c.png ? 1.05 : 1.45);
  for (const side of sides) {
    const scale = Math.min(1, side / Math.max(decoded.raw.width, decoded.raw.height));
    const pixels = Math.round(decoded.raw.width * scale) * Math.round(decoded.raw.height * scale);
    for (const c of candidates) {
      if (c.png && pixels > PALETTE_MAX_PIXELS) continue;
      const seen = bytesPerPixel.get(c);
      if (seen !== undefined && seen * pixels > p.max * slack(c) * 1.1) continue;
      const fast = await encode(side, c, false);
      bytesPerPixel.set(c, fast.data.length / (fast.info.width * fast.info.height));
      let out: typeof fast | null = fast.data.length <= p.max ? fast : null;
      // A fit is encoded again carefully where that stays quick; a near miss is worth one careful try.
      const carefulAffordable = pixels <= (c.png ? CAREFUL_PIXELS.png : CAREFUL_PIXELS.jpg);
      if (carefulAffordable && (out || fast.data.length <= p.max * slack(c))) {
        const careful = await encode(side, c, true);
        if (careful.data.length <= p.max) out = careful;
      }
      if (!out) continue;
      return {
        bytes: out.data,
        type: c.png ? "png" : "jpg",
        width: out.info.width,
        height: out.info.height,
        steps: [side < longest ? `resize ${out.info.width}×${out.info.height}` : "", c.png ? "png palette" : `jpg q${c.quality}`].filter(Boolean),
      };
    }
  }
  throw new MediaRuleError("cannotShrink", kind, { max: p.max });
}

/** A cover: always a JPG under 64 KB. WeChat shows covers at most 900 px wide. */
export async function fitThumb(input: Buffer, type: string, max: number): Promise<ImageOut> {
  const info = await imageInfo(input);
  if (type === "jpg" && input.length <= max) return { bytes: input, type: "jpg", width: info.width, height: info.height, steps: [] };
  return encodeUnder("thumb", input, info, { max, sides: [900, 720, 600, 480, 360, 240, 160], qualities: [82, 72, 62, 52, 42, 32], pngFirst: false });
}

/** An in-article image: JPG or PNG under 1 MB, as large as it can stay. */
export async function fitInArticle(input: Buffer, type: string, max: number): Promise<ImageOut> {
  const info = await imageInfo(input);
  if ((type === "jpg" || type === "png") && input.length <= max) return { bytes: input, type, width: info.width, height: info.height, steps: [] };
  return encodeUnder("inarticle", input, info, { max, sides: [2560, 1920, 1600, 1280, 1080, 800, 640, 480], qualities: [86, 76, 66, 56], pngFirst: true });
}

/** Image material: JPG/PNG/GIF up to 10 MB; anything else (WebP, HEIC, BMP…) or larger becomes JPG/PNG. */
export async function fitImage(input: Buffer, type: string, max: number): Promise<ImageOut> {
  const info = await imageInfo(input);
  if ((type === "jpg" || type === "png" || type === "gif") && input.length <= max)
    return { bytes: input, type, width: info.width, height: info.height, steps: [] };
  const out = await encodeUnder("image", input, info, { max, sides: [4096, 3000, 2560, 1920, 1280], qualities: [90, 80, 70, 60], pngFirst: true });
  if (type === "gif" && info.pages > 1) out.steps.push("first frame");
  return out;
}

/** The small picture the library and pickers show. */
export async function makePreview(input: Buffer): Promise<Buffer | null> {
  const sharp = await loadSharp();
  try {
    return await sharp(input, { pages: 1 })
      .rotate()
      .resize({ width: 240, height: 240, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 72 })
      .toBuffer();
  } catch {
    return null;
  }
}
