/**
 * How large a request body each route takes, and the one reader that enforces it. A body is
 * refused from its Content-Length when that already says too much, and otherwise counted while it
 * streams in and cut off at the limit, so a chunked body without a length never lands in memory
 * whole. Uploads go to a temporary file instead of memory.
 *
 * Server actions are read by Next itself, under `experimental.serverActions.bodySizeLimit` in
 * next.config.mjs, which must equal SERVER_ACTION_BODY_LIMIT (a test compares them).
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { RULES, type MediaKind } from "@/lib/media/limits";

export const KB = 1024;
export const MB = 1024 * KB;

/**
 * The largest server action is the autosave of a news draft: up to 8 articles whose content
 * WeChat takes below 1 MB each (uploadnews, "content … 小于1M"), with titles, digests and JSON
 * escaping on top. Everything else an action takes is a few kilobytes.
 */
export const SERVER_ACTION_BODY_LIMIT = 9 * MB;

/** Per-route limits, each sized by what the route legitimately receives. */
export const BODY_LIMITS = {
  /**
   * The draft save route only receives `fetch(…, { keepalive: true })` bodies, which browsers cap
   * at 64 KB (larger drafts go through the autosave action).
   */
  newsSave: 64 * KB,
  /** A WeChat push is one small XML event (encrypted: a base64 envelope of it). */
  callback: 64 * KB,
  /**
   * An OpenID list: 5 000 000 OpenIDs of 28 characters and a line end make 150 MB; the rest is room
   * for a CSV's other columns. The import also stops on its own at 5 000 000.
   */
  audienceUpload: 256 * MB,
} as const;

/** A console media upload: the largest file qunfa takes for the kind (images are converted down). */
export function mediaUploadLimit(kind: MediaKind): number {
  const r = RULES[kind];
  return Math.max(r.max, r.inputMax);
}

/**
 * WeChat's own limits for what the sandbox API receives: media uploads by kind (media/upload and
 * material/add_material: image 10 MB, voice 2 MB, video 10 MB, thumb 64 KB; uploadimg below 1 MB)
 * plus the multipart envelope, uploadnews up to 8 articles of content below 1 MB each, and 1 MB for
 * every other JSON request (a 10 000-OpenID send is ~310 KB).
 */
export function sandboxBodyLimit(path: string, type: string | null): { bytes: number; media: boolean } {
  const envelope = 16 * KB;
  const mediaMax: Record<string, number> = { image: 10 * MB, voice: 2 * MB, video: 10 * MB, thumb: 64 * KB };
  if (path === "media/uploadimg") return { bytes: MB + envelope, media: true };
  if (path === "media/upload" || path === "material/add_material") return { bytes: (mediaMax[type ?? ""] ?? 10 * MB) + envelope, media: true };
  if (path === "media/uploadnews") return { bytes: SERVER_ACTION_BODY_LIMIT, media: false };
  return { bytes: MB, media: false };
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** True when the declared Content-Length is already over the limit. */
function declaredOver(req: Request, limit: number): boolean {
  const raw = req.headers.get("content-length");
  if (raw === null) return false;
  const n = Number(raw);
  return !Number.isFinite(n) || n > limit;
}

/**
 * The body's chunks, throwing BodyTooLargeError as soon as more than `limit` bytes arrived (or at
 * once, when Content-Length says so). Stopping early, for any reason, cancels the stream.
 */
export async function* limitedChunks(req: Request, limit: number): AsyncGenerator<Uint8Array, void, undefined> {
  if (declaredOver(req, limit)) {
    await req.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limit);
  }
  if (!req.body) return;
  const reader = req.body.getReader();
  let size = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      size += value.byteLength;
      if (size > limit) throw new BodyTooLargeError(limit);
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
}

/** The whole body, at most `limit` bytes (for small bodies: JSON, XML). */
export async function readBodyLimited(req: Request, limit: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of limitedChunks(req, limit)) chunks.push(c);
  return Buffer.concat(chunks);
}

export async function readTextLimited(req: Request, limit: number): Promise<string> {
  return (await readBodyLimited(req, limit)).toString("utf8");
}

/**
 * The same request with its body already read (and limited): for handlers that read the body
 * themselves (formData, text) after the limit was enforced here.
 */
export function withBody(req: Request, body: Buffer): Request {
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  headers.delete("transfer-encoding");
  return new Request(req.url, { method: req.method, headers, body: new Uint8Array(body) });
}

export interface TempUpload {
  path: string;
  size: number;
  /** Deletes the file; safe to call twice. */
  remove(): Promise<void>;
}

/** Streams the body into a temporary file of at most `limit` bytes; nothing is left behind on failure. */
export async function bodyToTempFile(req: Request, limit: number): Promise<TempUpload> {
  const path = join(tmpdir(), `qunfa-upload-${randomBytes(12).toString("hex")}`);
  const remove = () => rm(path, { force: true });
  let size = 0;
  async function* counted() {
    for await (const c of limitedChunks(req, limit)) {
      size += c.byteLength;
      yield c;
    }
  }
  try {
    await pipeline(Readable.from(counted()), createWriteStream(path, { mode: 0o600 }));
  } catch (e) {
    await remove();
    throw e;
  }
  return { path, size, remove };
}

/** "64 KB", "9 MB": a limit as a person reads it. */
export function formatBodyLimit(n: number): string {
  if (n >= MB && n % MB === 0) return `${n / MB} MB`;
  if (n >= MB) return `${Math.round((n / MB) * 10) / 10} MB`;
  if (n >= KB) return `${Math.round(n / KB)} KB`;
  return `${n} B`;
}
