import "server-only";
import type { MediaConversion } from "@/db/schema";
import { amrDurationMs, voiceDurationMs } from "./audio";
import { MediaRuleError } from "./errors";
import { fitImage, fitInArticle, fitThumb, imageInfo } from "./images";
import { allowedLabel, MIME_OF, RULES, TYPE_LABEL, type MediaKind, type SniffedType } from "./limits";

export interface PreparedMedia {
  bytes: Buffer;
  type: SniffedType;
  mime: string;
  filename: string;
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  conversion: MediaConversion | null;
}

const FROM_FILE_TYPE: Record<string, SniffedType> = {
  jpg: "jpg",
  png: "png",
  apng: "png",
  gif: "gif",
  bmp: "bmp",
  webp: "webp",
  tif: "tiff",
  avif: "avif",
  heic: "heic",
  mp3: "mp3",
  amr: "amr",
  mp4: "mp4",
  m4v: "mp4",
  mov: "mov",
  m4a: "m4a",
  wav: "wav",
  ogg: "ogg",
  oga: "ogg",
};

/** The file's type by its content (file-type's magic numbers), never by its name. */
async function detectType(bytes: Uint8Array): Promise<{ type: SniffedType | null; label: string }> {
  const { fileTypeFromBuffer } = await import("file-type");
  const r = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (!r) {
    // file-type does not know AMR-WB's header.
    if (String.fromCharCode(...bytes.subarray(0, 9)) === "#!AMR-WB\n") return { type: "amr", label: "AMR" };
    // "unknown" picks the message's wording for a format nobody recognises (media.rule.wrongType).
    return { type: null, label: "unknown" };
  }
  const t = FROM_FILE_TYPE[r.ext] ?? null;
  return { type: t, label: t ? TYPE_LABEL[t] : r.ext.toUpperCase() };
}

function renamed(filename: string, type: SniffedType): string {
  const base = (filename.replace(/[\\/]/g, "_").replace(/\.[A-Za-z0-9]{1,5}$/, "") || "file").slice(0, 120);
  return `${base}.${type}`;
}

/** A voice or video file kept as sent: no pixels, no conversion. */
function asIs(buf: Buffer, type: SniffedType, filename: string, durationMs: number | null): PreparedMedia {
  return {
    bytes: buf,
    type,
    mime: MIME_OF[type],
    filename: renamed(filename, type),
    size: buf.length,
    width: null,
    height: null,
    durationMs,
    conversion: null,
  };
}

/**
 * Checks a file against WeChat's rules for `kind` and, for images, converts it where a person
 * would expect (cover → JPG under 64 KB; in-article → JPG/PNG under 1 MB; image → JPG/PNG/GIF up to
 * 10 MB). What cannot be fixed throws MediaRuleError naming the limit.
 */
export async function prepareMedia(kind: MediaKind, input: Uint8Array, filename: string): Promise<PreparedMedia> {
  const rule = RULES[kind];
  if (input.length === 0) throw new MediaRuleError("empty", kind);
  const { type, label } = await detectType(input);
  if (!type || !(rule.types.includes(type) || rule.convertible.includes(type))) {
    throw new MediaRuleError("wrongType", kind, { allowed: allowedLabel(kind), found: label });
  }
  const inputMax = rule.convertible.includes(type) ? rule.inputMax : rule.max;
  if (input.length > inputMax) throw new MediaRuleError("tooLarge", kind, { max: inputMax, size: input.length });
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);

  if (kind === "voice") {
    const durationMs = type === "amr" ? amrDurationMs(buf) : await voiceDurationMs(buf, "mp3");
    if (durationMs !== null && durationMs > rule.maxSeconds! * 1000) {
      throw new MediaRuleError("tooLong", kind, { maxSeconds: rule.maxSeconds!, seconds: Math.round(durationMs / 100) / 10 });
    }
    return asIs(buf, type, filename, durationMs);
  }
  if (kind === "video") return asIs(buf, type, filename, null);

  const before = await imageInfo(buf);
  const fit = kind === "thumb" ? fitThumb : kind === "inarticle" ? fitInArticle : fitImage;
  const out = await fit(buf, type, rule.max);
  const changed = out.bytes !== buf;
  const conversion: MediaConversion | null = changed
    ? { fromMime: MIME_OF[type], fromSize: buf.length, fromWidth: before.width, fromHeight: before.height, steps: [`${type}→${out.type}`, ...out.steps] }
    : null;
  return {
    bytes: out.bytes,
    type: out.type,
    mime: MIME_OF[out.type],
    filename: renamed(filename, out.type),
    size: out.bytes.length,
    width: out.width,
    height: out.height,
    durationMs: null,
    conversion,
  };
}
