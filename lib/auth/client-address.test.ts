import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { clientAddress, installRequestStamps, PEER_HEADER, REQUESTED_URL_HEADER } from "./client-address";

let server: http.Server;
let base = "";
let seen: http.IncomingHttpHeaders = {};

beforeAll(async () => {
  installRequestStamps();
  server = http.createServer((req, res) => {
    seen = req.headers;
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it("the server stamps the real peer and the asked-for path over whatever the client wrote", async () => {
  await fetch(`${base}/a1/history?x=1`, {
    headers: { [PEER_HEADER]: "203.0.113.9", [REQUESTED_URL_HEADER]: "//evil.example", "x-forwarded-for": "198.51.100.1" },
  });
  expect(seen[PEER_HEADER]).toBe("127.0.0.1");
  expect(seen[REQUESTED_URL_HEADER]).toBe("/a1/history?x=1");
});

describe("HSTS is sent when the browser came over https, through a trusted proxy, and only then", () => {
  const hsts = async (headers: Record<string, string>, hops: string | undefined, publicUrl = "https://qunfa.example") => {
    const saved = { hops: process.env.QUNFA_TRUSTED_PROXY_HOPS, url: process.env.QUNFA_PUBLIC_URL };
    if (hops === undefined) delete process.env.QUNFA_TRUSTED_PROXY_HOPS;
    else process.env.QUNFA_TRUSTED_PROXY_HOPS = hops;
    process.env.QUNFA_PUBLIC_URL = publicUrl;
    try {
      return (await fetch(base, { headers })).headers.get("strict-transport-security");
    } finally {
      for (const [k, v] of [
        ["QUNFA_TRUSTED_PROXY_HOPS", saved.hops],
        ["QUNFA_PUBLIC_URL", saved.url],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  const ON = "max-age=31536000; includeSubDomains";

  it.each([
    // [X-Forwarded-Proto, trusted hops, sent]
    ["https", "1", true],
    ["HTTPS", "1", true],
    ["https, http", "1", false], // the trusted proxy saw http; "https" is the client's own writing
    ["http, https", "1", true],
    ["https, http", "2", true],
    ["http", "1", false],
    ["https", "0", false], // no trusted proxy: anyone can write the header
    ["https", undefined, false],
  ] as const)("X-Forwarded-Proto %j with %s trusted hops → sent: %s", async (proto, hops, sent) => {
    expect(await hsts({ "x-forwarded-proto": proto }, hops)).toBe(sent ? ON : null);
  });

  it("plain http is never told to stay on https, whatever the public URL says", async () => {
    expect(await hsts({}, "1")).toBeNull();
    expect(await hsts({}, undefined)).toBeNull();
    expect(await hsts({ "x-forwarded-proto": "https" }, "1", "http://127.0.0.1:3000")).toBe(ON);
  });
});

it.each([
  // [X-Forwarded-For, peer, trusted hops, client]
  ["198.51.100.1", "127.0.0.1", 0, "127.0.0.1"],
  [null, "::ffff:10.0.0.7", 0, "10.0.0.7"],
  [null, "2001:DB8::1", 0, "2001:db8::1"],
  ["198.51.100.1", "10.0.0.2", 1, "198.51.100.1"],
  ["1.2.3.4, 198.51.100.1", "10.0.0.2", 1, "198.51.100.1"],
  ["1.2.3.4, 198.51.100.1, 10.0.0.3", "10.0.0.2", 2, "198.51.100.1"],
  ["198.51.100.1", "10.0.0.2", 3, "198.51.100.1"],
  [null, "10.0.0.2", 1, "10.0.0.2"],
  [null, null, 0, "unknown"],
] as const)("X-Forwarded-For %j from %j with %i trusted hops → %s", (xff, peer, hops, want) => {
  const h = new Headers();
  if (xff) h.set("x-forwarded-for", xff);
  if (peer) h.set(PEER_HEADER, peer);
  expect(clientAddress(h, hops)).toBe(want);
});
