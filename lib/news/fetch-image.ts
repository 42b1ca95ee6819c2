import "server-only";
import { publicRequest, PublicFetchError } from "@/lib/net/public-fetch";

export type ImageFetcher = (url: string) => Promise<{ bytes: Uint8Array; filename: string }>;

export class ImageFetchError extends Error {
  constructor(
    readonly src: string,
    readonly reason: "scheme" | "unreachable" | "tooLarge" | "data",
    detail = "",
  ) {
    super(`image ${src.slice(0, 120)}: ${reason} ${detail}`);
    this.name = "ImageFetchError";
  }
}

const MAX_BYTES = 20 * 1024 * 1024;

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
 * way into its own network: only http(s), only public addresses (checked by the socket's own
 * lookup, at every redirect), 15 s, 20 MB at most. Whatever stops the fetch — an internal address,
 * a name that resolves to one, a closed port, an HTTP error — the user reads one message: which of
 * them it was would tell an outsider what the console's network holds. The log keeps the detail.
 */
export const fetchPublicImage: ImageFetcher = async (src) => {
  let url = src;
  for (let hop = 0; hop < 4; hop++) {
    let res;
    try {
      res = await publicRequest({ url, headers: { accept: "image/*" }, timeoutMs: 15_000, maxBytes: MAX_BYTES });
    } catch (e) {
      if (e instanceof PublicFetchError && e.reason === "scheme") throw new ImageFetchError(src, "scheme");
      if (e instanceof PublicFetchError && e.reason === "too-large") throw new ImageFetchError(src, "tooLarge");
      console.warn(`[qunfa] image fetch ${src.slice(0, 120)}: ${(e as Error).message}`);
      throw new ImageFetchError(src, "unreachable", (e as Error).message);
    }
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      continue;
    }
    if (res.status < 200 || res.status >= 300) {
      console.warn(`[qunfa] image fetch ${src.slice(0, 120)}: HTTP ${res.status}`);
      throw new ImageFetchError(src, "unreachable", `HTTP ${res.status}`);
    }
    const last = new URL(url).pathname.split("/").pop() || "image";
    let name = last;
    try {
      name = decodeURIComponent(last);
    } catch {
      // a stray % in the path: keep the name as written
    }
    name = name.slice(0, 80) || "image";
    return { bytes: res.body, filename: name };
  }
  throw new ImageFetchError(src, "unreachable", "redirects");
};
