/**
 * WeChat's media rules, in one place for the browser's pre-check and the server's check (which
 * decides). Sources: WeChat's 「高级群发接口」 and 「素材管理」 documents (media/upload, uploadimg, add_material).
 * Pure: no Node, no DOM.
 */
import type { MediaKind, MediaStorage } from "@/db/schema/media";

export type { MediaKind, MediaStorage };
export const KINDS: readonly MediaKind[] = ["inarticle", "thumb", "image", "voice", "video"];

/** File types by content, as far as qunfa tells them apart. */
export type SniffedType = "jpg" | "png" | "gif" | "bmp" | "webp" | "tiff" | "avif" | "heic" | "mp3" | "amr" | "mp4" | "mov" | "m4a" | "wav" | "ogg";

const KB = 1024;
const MB = 1024 * 1024;

export interface KindRule {
  /** Largest size WeChat takes, in bytes (inclusive). */
  max: number;
  /** Types WeChat takes for this kind. */
  types: readonly SniffedType[];
  /** Types qunfa converts into one WeChat takes (images only). */
  convertible: readonly SniffedType[];
  /** For convertible kinds: the largest input qunfa tries to convert (the request body limit). */
  inputMax: number;
  /** Seconds, voice only. */
  maxSeconds?: number;
  /** Whether the kind has a temporary / permanent choice (uploadimg has neither). */
  storages: readonly MediaStorage[];
}

const IMAGE_INPUTS: SniffedType[] = ["jpg", "png", "gif", "bmp", "webp", "tiff", "avif", "heic"];

export const RULES: Record<MediaKind, KindRule> = {
  // uploadimg: "图片仅支持jpg/png格式，大小必须在1MB以下" — strictly below 1 MB.
  inarticle: { max: MB - 1, types: ["jpg", "png"], convertible: IMAGE_INPUTS, inputMax: 60 * MB, storages: [] },
  // thumb: 64 KB, JPG. qunfa keeps it strictly below 64 KB ("under 64 KB"), the safe reading.
  thumb: { max: 64 * KB - 1, types: ["jpg"], convertible: IMAGE_INPUTS, inputMax: 60 * MB, storages: ["permanent", "temporary"] },
  // image: 10 MB, PNG/JPEG/JPG/GIF (the same official page also says 2 MB for some endpoints; 10 MB is seeds' figure).
  image: { max: 10 * MB, types: ["jpg", "png", "gif"], convertible: IMAGE_INPUTS, inputMax: 60 * MB, storages: ["permanent", "temporary"] },
  voice: { max: 2 * MB, types: ["amr", "mp3"], convertible: [], inputMax: 2 * MB, maxSeconds: 60, storages: ["permanent", "temporary"] },
  video: { max: 10 * MB, types: ["mp4"], convertible: [], inputMax: 10 * MB, storages: ["permanent", "temporary"] },
};

/** Temporary media live 3 days (WeChat's 「高级群发接口」 "media_id valid 3 days"). */
export const TEMPORARY_TTL_MS = 3 * 24 * 3600_000;

/** Title and introduction of permanent video material (WeChat's backend limits). */
export const VIDEO_TITLE_MAX = 64;
export const VIDEO_DESCRIPTION_MAX = 120;

export const TYPE_LABEL: Record<SniffedType, string> = {
  jpg: "JPG",
  png: "PNG",
  gif: "GIF",
  bmp: "BMP",
  webp: "WebP",
  tiff: "TIFF",
  avif: "AVIF",
  heic: "HEIC",
  mp3: "MP3",
  amr: "AMR",
  mp4: "MP4",
  mov: "MOV",
  m4a: "M4A",
  wav: "WAV",
  ogg: "OGG",
};

export const MIME_OF: Record<SniffedType, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  bmp: "image/bmp",
  webp: "image/webp",
  tiff: "image/tiff",
  avif: "image/avif",
  heic: "image/heic",
  mp3: "audio/mpeg",
  amr: "audio/amr",
  mp4: "video/mp4",
  mov: "video/quicktime",
  m4a: "audio/mp4",
  wav: "audio/wav",
  ogg: "audio/ogg",
};

export function typeFromMime(mime: string): SniffedType | null {
  for (const [k, v] of Object.entries(MIME_OF)) if (v === mime) return k as SniffedType;
  return null;
}

/**
 * The browser's quick look at the first bytes (the server decides with file-type). Enough to
 * refuse a renamed file before it is sent.
 */
export function sniffType(b: Uint8Array): SniffedType | null {
  const at = (i: number, s: string) => s.split("").every((c, k) => b[i + k] === c.charCodeAt(0));
  if (b.length < 4) return null;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpg";
  if (b[0] === 0x89 && at(1, "PNG")) return "png";
  if (at(0, "GIF8")) return "gif";
  if (at(0, "BM")) return "bmp";
  if (at(0, "RIFF") && at(8, "WEBP")) return "webp";
  if (at(0, "RIFF") && at(8, "WAVE")) return "wav";
  if (at(0, "II*\0") || at(0, "MM\0*")) return "tiff";
  if (at(0, "OggS")) return "ogg";
  if (at(0, "#!AMR")) return "amr";
  if (at(4, "ftyp")) {
    const brand = String.fromCharCode(b[8], b[9], b[10], b[11]);
    if (brand === "avif" || brand === "avis") return "avif";
    if (/^hei|^mif1|^msf1|^heix/.test(brand)) return "heic";
    if (brand === "qt  ") return "mov";
    if (brand.startsWith("M4A") || brand.startsWith("M4B")) return "m4a";
    return "mp4";
  }
  if (at(0, "ID3")) return "mp3";
  if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x06) !== 0) return "mp3";
  return null;
}

/** What the server will do with a file of this type and size for this kind. */
export type Plan = { ok: true; convert: boolean } | { ok: false; code: "empty" | "wrongType" | "tooLarge"; max?: number };

export function planFor(kind: MediaKind, type: SniffedType | null, size: number): Plan {
  const rule = RULES[kind];
  if (size === 0) return { ok: false, code: "empty" };
  if (!type || !(rule.types.includes(type) || rule.convertible.includes(type))) return { ok: false, code: "wrongType" };
  const direct = rule.types.includes(type);
  if (rule.convertible.length === 0) return size > rule.max ? { ok: false, code: "tooLarge", max: rule.max } : { ok: true, convert: false };
  if (size > rule.inputMax) return { ok: false, code: "tooLarge", max: rule.inputMax };
  // Thumbs are always re-encoded when over the limit; other images only when they do not fit.
  return { ok: true, convert: !direct || size > rule.max };
}

/** "64 KB", "1 MB", "1.5 MB" — the way the limits are written in WeChat's docs. */
export function formatBytes(n: number): string {
  if (n < KB) return `${n} B`;
  if (n < MB) {
    const v = n / KB;
    return `${v < 10 ? Math.round(v * 10) / 10 : Math.round(v)} KB`;
  }
  const v = n / MB;
  return `${v < 10 ? Math.round(v * 10) / 10 : Math.round(v)} MB`;
}

/** A limit as a person reads it: 64 KB − 1 byte is "64 KB". */
export function formatLimit(max: number): string {
  return formatBytes(max % KB === KB - 1 ? max + 1 : max);
}

export function allowedLabel(kind: MediaKind): string {
  return RULES[kind].types.map((t) => TYPE_LABEL[t]).join("/");
}
