import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress } from "./address";
import { publicRequest, PublicFetchError } from "./public-fetch";
import { fetchPublicImage, ImageFetchError } from "@/lib/news/fetch-image";

describe("isPublicAddress: the address table", () => {
  const notPublic = [
    // IPv4
    "0.0.0.0",
    "10.0.0.1",
    "10.255.255.255",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.1.2.3",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.19.255.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    // IPv6 and the IPv4 it may carry
    "::",
    "::1",
    "[::1]",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::FFFF:7F00:0001",
    "::ffff:10.0.0.1",
    "::ffff:a9fe:a9fe",
    "::127.0.0.1",
    "::7f00:1",
    "0:0:0:0:0:ffff:7f00:1",
    "64:ff9b::127.0.0.1",
    "64:ff9b::a00:1",
    "2002:7f00:1::",
    "2002:c0a8:101::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",
    "2001:0:4136:e378::1",
    "100::1",
    // not addresses at all
    "localhost",
    "",
    "1.2.3",
    "example.com",
  ];
  const isPublic = [
    "1.1.1.1",
    "8.8.8.8",
    "101.226.1.1",
    "172.32.0.1",
    "172.15.255.255",
    "192.169.0.1",
    "100.128.0.1",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
    "2400:cb00::1",
    "2a00:1450:4001::200e",
    "[2606:4700::1111]",
  ];
  it.each(notPublic)("%s is refused", (ip) => expect(isPublicAddress(ip)).toBe(false));
  it.each(isPublic)("%s is public", (ip) => expect(isPublicAddress(ip)).toBe(true));
});

describe("publicRequest and the article image fetch against a server on this machine", () => {
  let server: http.Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      if (req.url === "/secret.png") return res.end("internal-bytes");
      if (req.url === "/hop") {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/secret.png` });
        return res.end();
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  const internal = () => [
    `http://127.0.0.1:${port}/secret.png`,
    `http://[::ffff:127.0.0.1]:${port}/secret.png`,
    `http://[::ffff:7f00:1]:${port}/secret.png`,
    `http://2130706433:${port}/secret.png`, // decimal 127.0.0.1
    `http://0x7f.1:${port}/secret.png`,
    `http://017700000001:${port}/secret.png`, // octal
    `http://localhost:${port}/secret.png`,
    `http://[::1]:${port}/secret.png`,
  ];

  it("never connects to an internal address, however it is written", async () => {
    hits = 0;
    for (const url of internal()) {
      const e = await publicRequest({ url, timeoutMs: 2_000, maxBytes: 1024 }).catch((x) => x);
      expect(e, url).toBeInstanceOf(PublicFetchError);
    }
    expect(hits).toBe(0);
  });

  it("a DNS name is judged by what it resolves to, in the socket's own lookup (no second lookup to rebind)", async () => {
    hits = 0;
    let lookups = 0;
    // First answer public, then private: the old check-then-fetch looked up twice.
    const rebinding = async () => (lookups++ === 0 ? ["127.0.0.1"] : ["8.8.8.8"]);
    const e = await publicRequest({ url: `http://rebind.example:${port}/secret.png`, timeoutMs: 2_000, maxBytes: 1024, resolve: rebinding }).catch((x) => x);
    expect(e).toBeInstanceOf(PublicFetchError);
    expect((e as PublicFetchError).reason).toBe("not-public");
    expect(lookups).toBe(1);
    // A name with one private address among public ones is refused whole.
    const mixed = await publicRequest({
      url: `http://mixed.example:${port}/`,
      timeoutMs: 2_000,
      maxBytes: 1024,
      resolve: async () => ["8.8.8.8", "10.0.0.5"],
    }).catch((x) => x);
    expect((mixed as PublicFetchError).reason).toBe("not-public");
    expect(hits).toBe(0);
    // The address the lookup returned is the one connected to (allowed here for the test's own server).
    const ok = await publicRequest({
      url: `http://named.example:${port}/secret.png`,
      timeoutMs: 2_000,
      maxBytes: 1024,
      allowPrivate: true,
      resolve: async () => ["127.0.0.1"],
    });
    expect(ok.body.toString()).toBe("internal-bytes");
  });

  it("reads no more than it may", async () => {
    const e = await publicRequest({ url: `http://127.0.0.1:${port}/secret.png`, timeoutMs: 2_000, maxBytes: 4, allowPrivate: true }).catch((x) => x);
    expect((e as PublicFetchError).reason).toBe("too-large");
  });

  it("the article image fetch gives one reason for every failure, so ports cannot be told apart", async () => {
    hits = 0;
    const reasons = new Set<string>();
    for (const url of [...internal(), `http://127.0.0.1:1/closed.png`, `http://[::ffff:127.0.0.1]:1/closed.png`, `http://no-such-host.invalid/x.png`]) {
      const e = await fetchPublicImage(url).catch((x) => x);
      expect(e, url).toBeInstanceOf(ImageFetchError);
      reasons.add((e as ImageFetchError).reason);
    }
    expect([...reasons]).toEqual(["unreachable"]);
    expect(hits).toBe(0);
    expect(((await fetchPublicImage("file:///etc/passwd").catch((x) => x)) as ImageFetchError).reason).toBe("scheme");
    expect(((await fetchPublicImage("http://user:pw@example.com/x.png").catch((x) => x)) as ImageFetchError).reason).toBe("scheme");
  });
});
