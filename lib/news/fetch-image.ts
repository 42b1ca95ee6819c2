import "server-only";
import { lookup } from "node:dns/promises";
import net from "node:net";

export type ImageFetcher = (url: string) => Promise<{ bytes: Uint8Array; filename: string }>;

export class ImageFetchError extends Error {
  constructor(
    readonly src: string,
    readonly reason: "scheme" | "private" | "http" | "tooLarge" | "network" | "data",
    detail = "",
  ) {
    super(`image ${src.slice(0, 120)}: ${reason} ${detail}`);
    this.name = "ImageFetchError";
  }
}

const MAX_BYTES = 20 * 1024 * 1024;

function isPrivate(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split(".").map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a >= 224;
  }
  const v = ip.toLowerCase();
  if (v.startsWith("::ffff:")) return isPrivate(v.slice(7));
  return v === "::1" || v === "::" || v.startsWith("fc") || v.startsWith("fd") || v.startsWith("fe80");
}

/** A data: URL's bytes (images pasted inside HTML arrive like this). */
export function decodeDataUrl(src: string): { bytes: Uint8Array; filename: string } {
  const m = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(src);
  if (!m) throw new ImageFetchError(src, "data");
  const bytes = m[2] ? Buffer.from(m[3], "base64") : Buffer.from(decodeURIComponent(m[3]), "utf8");
  if (bytes.length > MAX_BYTES) throw new ImageFetchError(src, "tooLarge");
  return { bytes, filename: `pasted.${(m[1].split("/")[1] || "img").replace(/[^a-z0-9]/gi, "")}` };
}

/**
 * Fetches an image linked from elsewhere so it can go through uploadimg. The console must not be a
 * way into its own network: only http(s), no private, loopback or link-local addresses (checked at
 * every redirect), 15 s, 20 MB at most.
 */
export const fetchPublicImage: ImageFetcher = async (src) => {
  let url = src;
  for (let hop = 0; hop < 4; hop++) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new ImageFetchError(src, "scheme");
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new ImageFetchError(src, "scheme");
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const addrs = net.isIP(host) ? [{ address: host }] : await lookup(host, { all: true }).catch(() => []);
    if (addrs.length === 0) throw new ImageFetchError(src, "network", "dns");
    if (addrs.some((a) => isPrivate(a.address))) throw new ImageFetchError(src, "private");
    let res: Response;
    try {
      res = await fetch(u, { redirect: "manual", signal: AbortSignal.timeout(15_000), headers: { accept: "image/*" } });
    } catch (e) {
      throw new ImageFetchError(src, "network", (e as Error).message);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
      url = new URL(res.headers.get("location")!, u).toString();
      continue;
    }
    if (!res.ok || !res.body) throw new ImageFetchError(src, "http", String(res.status));
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_BYTES) {
        await reader.cancel();
        throw new ImageFetchError(src, "tooLarge");
      }
      chunks.push(value);
    }
    const name = decodeURIComponent(u.pathname.split("/").pop() || "image").slice(0, 80) || "image";
    return { bytes: Buffer.concat(chunks), filename: name };
  }
  throw new ImageFetchError(src, "http", "redirects");
};
