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

/**
 * Re-encodes until the file is at most `max` bytes: each size from the largest, each quality from
 * the best, the first that fits wins. EXIF orientation is applied, metadata dropped.
 */
async function encodeUnder(kind: MediaKind, input: Buffer, info: ImageInfo, p: Plan): Promise<ImageOut> {
  const longest = Math.max(info.width ?? 0, info.height ?? 0) || p.sides[0];
  const sides = [...new Set(p.sides.map((s) => Math.min(s, longest)))].sort((a, b) => b - a);
  const sharp = await loadSharp();
  for (const side of sides) {
    const base = () => sharp(input, { pages: 1 }).rotate().resize({ width: side, height: side, fit: "inside", withoutEnlargement: true });
    if (p.pngFirst && info.hasAlpha) {
      const { data, info: o } = await base().png({ palette: true, compressionLevel: 9, effort: 8 }).toBuffer({ resolveWithObject: true });
      if (data.length <= p.max)
        return {
          bytes: data,
          type: "png",
          width: o.width,
          height: o.height,
          steps: [side < longest ? `resize ${o.width}×${o.height}` : "", "png palette"].filter(Boolean),
        };
    }
    for (const q of p.qualities) {
      const { data, info: o } = await base().flatten({ background: "#ffffff" }).jpeg({ quality: q, mozjpeg: true }).toBuffer({ resolveWithObject: true });
      if (data.length <= p.max)
        return {
          bytes: data,
          type: "jpg",
          width: o.width,
          height: o.height,
          steps: [side < longest ? `resize ${o.width}×${o.height}` : "", `jpg q${q}`].filter(Boolean),
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
