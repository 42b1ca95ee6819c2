import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { LookupFunction } from "node:net";
import { isPublicAddress } from "./address";

/**
 * Why a request to a user-given URL did not happen. `detail` is for the server's log only: what a
 * user sees must be one message for every reason, or the console becomes a port scanner that tells
 * a refused address from a closed port from an open one.
 */
export class PublicFetchError extends Error {
  constructor(
    readonly reason: "scheme" | "not-public" | "dns" | "network" | "timeout" | "too-large",
    readonly detail = "",
  ) {
    super(`${reason}${detail ? `: ${detail}` : ""}`);
    this.name = "PublicFetchError";
  }
}

export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dns.lookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs.map((a) => a.address)))));

export interface PublicRequest {
  url: string | URL;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs: number;
  maxBytes: number;
  /** For an operator who has said so (e.g. a relay to the account's own server on the same network). */
  allowPrivate?: boolean;
  /** Tests give names that resolve to chosen addresses. */
  resolve?: Resolver;
}

export interface PublicResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * The lookup the socket itself uses: the address that was checked is the address connected to, so
 * a name that answers a public address to a first lookup and 127.0.0.1 to the second (DNS
 * rebinding) gets nowhere. A name with any non-public address among its answers is refused whole.
 */
function checkedLookup(resolve: Resolver, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addrs) => {
        const usable = addrs.filter((a) => (options.family === 4 ? net.isIPv4(a) : options.family === 6 ? net.isIPv6(a) : true));
        if (usable.length === 0) return callback(new PublicFetchError("dns", hostname) as NodeJS.ErrnoException, "", 0);
        if (!allowPrivate && usable.some((a) => !isPublicAddress(a)))
          return callback(new PublicFetchError("not-public", `${hostname} → ${usable.join(",")}`) as NodeJS.ErrnoException, "", 0);
        const list = usable.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
        if (options.all) (callback as unknown as (e: null, a: typeof list) => void)(null, list);
        else callback(null, list[0].address, list[0].family);
      },
      (e: Error) => callback(new PublicFetchError("dns", `${hostname}: ${e.message}`) as NodeJS.ErrnoException, "", 0),
    );
  };
}

/**
 * Whether a URL someone is saving points into a private network or at this machine, by the rule
 * every request to it is held to (isPublicAddress): an address written in the URL, `localhost`,
 * or a name with any non-public address among its answers. A name that does not resolve now is not
 * refused here (the network may not see it yet); each request to it is checked again anyway.
 */
export async function pointsInside(url: string, resolve: Resolver = systemResolver): Promise<boolean> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (net.isIP(host)) return !isPublicAddress(host);
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const addrs = await resolve(host).catch(() => [] as string[]);
  return addrs.some((a) => !isPublicAddress(a));
}

/**
 * One HTTP(S) request to a URL someone typed, connecting only to public addresses, bounded in time
 * and in the bytes read. Redirects are not followed: the caller decides, and asks again (each hop
 * is checked the same way).
 */
export function publicRequest(req: PublicRequest): Promise<PublicResponse> {
  let u: URL;
  try {
    u = new URL(req.url);
  } catch {
    return Promise.reject(new PublicFetchError("scheme", "not a URL"));
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return Promise.reject(new PublicFetchError("scheme", u.protocol));
  if (u.username || u.password) return Promise.reject(new PublicFetchError("scheme", "credentials in URL"));
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const allowPrivate = req.allowPrivate ?? false;
  // An address written in the URL is never looked up by the socket: judge it here.
  if (net.isIP(host) && !allowPrivate && !isPublicAddress(host)) return Promise.reject(new PublicFetchError("not-public", host));
  const mod = u.protocol === "https:" ? https : http;
  return new Promise<PublicResponse>((resolve, reject) => {
    const r = mod.request(
      u,
      {
        method: req.method ?? "GET",
        headers: req.headers,
        lookup: checkedLookup(req.resolve ?? systemResolver, allowPrivate),
        // No connection pool: a kept-alive socket to a name would skip the lookup next time.
        agent: false,
        timeout: req.timeoutMs,
      },
      (res) => {
        const declared = Number(res.headers["content-length"] ?? "0");
        if (declared > req.maxBytes) {
          res.destroy();
          return reject(new PublicFetchError("too-large", String(declared)));
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on("data", (c: Buffer) => {
          total += c.length;
          if (total > req.maxBytes) {
            res.destroy();
            reject(new PublicFetchError("too-large", `>${req.maxBytes}`));
            return;
          }
          chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", (e) => reject(e instanceof PublicFetchError ? e : new PublicFetchError("network", e.message)));
      },
    );
    const timer = setTimeout(() => r.destroy(new PublicFetchError("timeout", `${req.timeoutMs} ms`)), req.timeoutMs);
    r.on("close", () => clearTimeout(timer));
    r.on("timeout", () => r.destroy(new PublicFetchError("timeout", `${req.timeoutMs} ms idle`)));
    r.on("error", (e) => reject(e instanceof PublicFetchError ? e : new PublicFetchError("network", e.message)));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}
