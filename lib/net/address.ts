import net from "node:net";

/**
 * Whether an IP address is on the public internet, the only place the console may connect to on
 * behalf of what a user typed (an image URL in an article, an account's relay URL). Everything
 * else is refused: loopback, private and carrier-grade NAT ranges, link-local (cloud metadata at
 * 169.254.169.254), multicast, reserved and documentation ranges — and the IPv6 forms that carry
 * an IPv4 address inside (mapped ::ffff:a.b.c.d, which WHATWG URL writes as ::ffff:7f00:1; the old
 * compatible ::a.b.c.d; NAT64 64:ff9b::/96; 6to4 2002::/16), judged by the IPv4 address they carry.
 * IPv6 is public only inside global unicast 2000::/3, minus documentation and Teredo.
 */
export function isPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (net.isIPv4(bare)) return isPublicV4(v4Bytes(bare));
  if (net.isIPv6(bare)) return isPublicV6(v6Bytes(bare));
  return false;
}

function v4Bytes(ip: string): number[] {
  return ip.split(".").map(Number);
}

function isPublicV4([a, b, c]: number[]): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast + reserved + broadcast
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false; // link-local (cloud metadata)
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return false; // 6to4 relay anycast
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return true;
}

/** The 16 bytes of an IPv6 address (node:net has already said it is one). */
function v6Bytes(ip: string): number[] {
  let s = ip.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    tail.push(...v4Bytes(dotted[1]));
    s = s.slice(0, -dotted[1].length) + "0:0";
  }
  const [head, rest] = s.includes("::") ? s.split("::") : [s, null];
  const words = (part: string) => (part ? part.split(":").map((w) => parseInt(w, 16)) : []);
  const h = words(head);
  const r = rest === null ? [] : words(rest);
  const all = rest === null ? h : [...h, ...new Array(8 - h.length - r.length).fill(0), ...r];
  const bytes = all.flatMap((w) => [w >> 8, w & 0xff]);
  if (dotted) bytes.splice(12, 4, ...tail);
  return bytes;
}

function isPublicV6(b: number[]): boolean {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, and :: and ::1 themselves)
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return isPublicV4(b.slice(12));
  if (zeros(0, 12)) return false;
  // 64:ff9b::/96 NAT64: the IPv4 address it translates to
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return isPublicV4(b.slice(12));
  // 2002::/16 6to4: the IPv4 address in bits 16–48
  if (b[0] === 0x20 && b[1] === 0x02) return isPublicV4(b.slice(2, 6));
  if ((b[0] & 0xe0) !== 0x20) return false; // outside global unicast 2000::/3 (ULA fc00::/7, link-local fe80::/10, multicast ff00::/8, …)
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return false; // documentation
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) return false; // Teredo
  return true;
}
