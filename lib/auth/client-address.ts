import "server-only";
import http from "node:http";
import { env } from "@/lib/config/env";

/**
 * Request header carrying the TCP peer's address, written by the server itself for every request.
 * Next passes on a client's own X-Forwarded-For untouched (it only fills it in when absent), so that
 * header cannot tell a forged address from a real one; this one is always overwritten.
 */
export const PEER_HEADER = "x-qunfa-peer";
/** Request header carrying the path and query the browser asked for (pages do not get it from Next). */
export const REQUESTED_URL_HEADER = "x-qunfa-url";

type Global = typeof globalThis & { __qunfaPeerHeader?: boolean };

/**
 * Stamps PEER_HEADER and REQUESTED_URL_HEADER on every request the process's HTTP servers receive,
 * overwriting whatever the client sent under those names (called once at start).
 */
export function installRequestStamps() {
  const g = globalThis as Global;
  if (g.__qunfaPeerHeader) return;
  g.__qunfaPeerHeader = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: [unknown, ...unknown[]]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "unknown";
      req.headers[REQUESTED_URL_HEADER] = req.url ?? "/";
      // A browser that came over https is told to stay on https. It depends on the request (and on
      // the running server's proxy setting), so it cannot be among next.config's headers, which
      // are fixed at build.
      if (cameOverHttps(req)) (args[1] as http.ServerResponse).setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    return (emit as (this: http.Server, e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}

/**
 * Whether the browser's request came over https: on a TLS socket of our own, or through trusted
 * proxies (QUNFA_TRUSTED_PROXY_HOPS) whose outermost one wrote "https" in X-Forwarded-Proto. With
 * no trusted proxy the header is the client's own writing and counts for nothing.
 */
export function cameOverHttps(req: http.IncomingMessage, hops: number = env.trustedProxyHops): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  if (hops <= 0) return false;
  const raw = req.headers["x-forwarded-proto"];
  const list = (Array.isArray(raw) ? raw.join(",") : (raw ?? ""))
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return list.length > 0 && list[Math.max(0, list.length - hops)] === "https";
}

function normalize(a: string): string {
  const v = a.trim().toLowerCase();
  // An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d; one client, one key.
  return v.startsWith("::ffff:") && v.includes(".") ? v.slice(7) : v || "unknown";
}

/**
 * The client a request comes from, for throttling. With no trusted proxy: the connecting address.
 * Behind `hops` proxies that each append the address they saw to X-Forwarded-For: the entry the
 * outermost one wrote (anything left of it is the client's own writing).
 */
export function clientAddress(h: Headers, hops: number = env.trustedProxyHops): string {
  if (hops > 0) {
    const list = (h.get("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length > 0) return normalize(list[Math.max(0, list.length - hops)]);
  }
  return normalize(h.get(PEER_HEADER) ?? "unknown");
}
