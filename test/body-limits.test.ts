import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import {
  BODY_LIMITS,
  BodyTooLargeError,
  bodyToTempFile,
  KB,
  MB,
  mediaUploadLimit,
  readBodyLimited,
  sandboxBodyLimit,
  SERVER_ACTION_BODY_LIMIT,
  withBody,
} from "@/lib/http/body-limit";

/** A request whose body is produced on demand, counting how much of it was ever pulled. */
function streamed(total: number, headers: Record<string, string> = {}) {
  const chunk = new Uint8Array(64 * KB).fill(97);
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled >= total) return c.close();
      const n = Math.min(chunk.length, total - pulled);
      pulled += n;
      c.enqueue(chunk.subarray(0, n));
    },
    cancel() {
      cancelled = true;
    },
  });
  const req = new Request("http://x/upload", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { req, pulled: () => pulled, cancelled: () => cancelled };
}

describe("the limited body reader", () => {
  it("refuses from Content-Length before reading anything", async () => {
    const s = streamed(10 * MB, { "content-length": String(10 * MB) });
    await expect(readBodyLimited(s.req, MB)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(s.pulled()).toBeLessThanOrEqual(64 * KB);
  });

  it("cuts a body without Content-Length off at the limit and cancels the stream", async () => {
    const s = streamed(200 * MB);
    const e = await readBodyLimited(s.req, MB).catch((x) => x);
    expect(e).toBeInstanceOf(BodyTooLargeError);
    expect(e.limit).toBe(MB);
    expect(s.pulled()).toBeLessThan(MB + 256 * KB);
    expect(s.cancelled()).toBe(true);
  });

  it("a lying Content-Length (small, body large) is still cut off", async () => {
    const s = streamed(20 * MB, { "content-length": "10" });
    // Node's fetch Request would not let the length lie; the counting does not rely on it anyway.
    await expect(readBodyLimited(s.req, MB)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(s.pulled()).toBeLessThan(MB + 256 * KB);
  });

  it("reads a body at the limit exactly", async () => {
    const s = streamed(MB);
    expect((await readBodyLimited(s.req, MB)).length).toBe(MB);
  });

  it("streams to a temporary file, and leaves nothing behind when the body is too large", async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith("qunfa-upload-")).length;
    const ok = await bodyToTempFile(streamed(3 * MB).req, 5 * MB);
    expect(ok.size).toBe(3 * MB);
    expect(readFileSync(ok.path).length).toBe(3 * MB);
    await ok.remove();
    expect(existsSync(ok.path)).toBe(false);
    const big = streamed(50 * MB);
    await expect(bodyToTempFile(big.req, 5 * MB)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(big.pulled()).toBeLessThan(5 * MB + 256 * KB);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith("qunfa-upload-")).length).toBe(before);
  });

  it("hands a handler the same request with its (limited) body", async () => {
    const r = withBody(
      new Request("http://x/cgi-bin/stable_token", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
      Buffer.from('{"a":1}'),
    );
    expect(await r.json()).toEqual({ a: 1 });
    expect(r.headers.get("content-type")).toBe("application/json");
  });
});

describe("the limits", () => {
  it("next.config.mjs gives server actions the limit this module names", async () => {
    const nextConfig: unknown = (await import(/* @vite-ignore */ resolve(__dirname, "../next.config.mjs"))).default;
    const cfg = await (nextConfig as (phase: string) => Promise<{ experimental: { serverActions: { bodySizeLimit: string } } }>)("phase-production-server");
    const m = /^(\d+)mb$/.exec(cfg.experimental.serverActions.bodySizeLimit);
    expect(m).not.toBeNull();
    expect(Number(m![1]) * MB).toBe(SERVER_ACTION_BODY_LIMIT);
    expect(SERVER_ACTION_BODY_LIMIT).toBeLessThan(10 * MB);
  });

  it("fit what each route takes", () => {
    expect(BODY_LIMITS.newsSave).toBe(64 * KB);
    expect(BODY_LIMITS.callback).toBe(64 * KB);
    expect(BODY_LIMITS.audienceUpload).toBeGreaterThan(5_000_000 * 30);
    expect(mediaUploadLimit("voice")).toBe(2 * MB);
    expect(mediaUploadLimit("video")).toBe(10 * MB);
    expect(mediaUploadLimit("image")).toBe(60 * MB);
    expect(sandboxBodyLimit("stable_token", null)).toEqual({ bytes: MB, media: false });
    expect(sandboxBodyLimit("media/upload", "thumb").bytes).toBeLessThan(100 * KB);
    expect(sandboxBodyLimit("material/add_material", "voice").bytes).toBeLessThan(3 * MB);
    expect(sandboxBodyLimit("media/uploadimg", null).bytes).toBeLessThan(2 * MB);
    expect(sandboxBodyLimit("media/uploadnews", null).bytes).toBe(SERVER_ACTION_BODY_LIMIT);
  });
});
