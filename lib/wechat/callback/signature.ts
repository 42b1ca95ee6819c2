import { createHash, timingSafeEqual } from "node:crypto";

export function sha1Sorted(parts: string[]): string {
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), "utf8");
  const y = Buffer.from(b.toLowerCase(), "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Plain mode (and URL verification): sha1 of the sorted token, timestamp and nonce. */
export function verifySignature(token: string, timestamp: string, nonce: string, signature: string): boolean {
  return safeEqualHex(sha1Sorted([token, timestamp, nonce]), signature);
}

/** Safe mode: msg_signature = sha1 of the sorted token, timestamp, nonce and the Encrypt text. */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1Sorted([token, timestamp, nonce, encrypt]);
}

export function verifyMsgSignature(token: string, timestamp: string, nonce: string, encrypt: string, signature: string): boolean {
  return safeEqualHex(msgSignature(token, timestamp, nonce, encrypt), signature);
}
