import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Written from WeChat's message-crypto text, independently of lib/wechat (a misreading must not
// hide in both): sha1 over the sorted parts; AES-256-CBC, key = base64(EncodingAESKey + "="),
// IV = first 16 key bytes, plaintext = 16 random bytes | 4-byte big-endian length | xml | appid,
// padded PKCS#7-style to a multiple of 32 bytes.

export function sbSignature(...parts: string[]): string {
  return createHash("sha1").update(parts.slice().sort().join("")).digest("hex");
}

function key(aesKey: string) {
  return Buffer.from(aesKey + "=", "base64");
}

export function sbEncrypt(xml: string, aesKey: string, appid: string, random: Buffer = randomBytes(16)): string {
  const k = key(aesKey);
  const msg = Buffer.from(xml, "utf8");
  const head = Buffer.alloc(4);
  head.writeUInt32BE(msg.length);
  const raw = Buffer.concat([random, head, msg, Buffer.from(appid)]);
  const pad = 32 - (raw.length % 32);
  const c = createCipheriv("aes-256-cbc", k, k.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), c.final()]).toString("base64");
}

export function sbDecrypt(b64: string, aesKey: string): { xml: string; appid: string } {
  const k = key(aesKey);
  const d = createDecipheriv("aes-256-cbc", k, k.subarray(0, 16)).setAutoPadding(false);
  const out = Buffer.concat([d.update(Buffer.from(b64, "base64")), d.final()]);
  const pad = out[out.length - 1];
  const body = out.subarray(0, out.length - pad);
  const n = body.readUInt32BE(16);
  return { xml: body.subarray(20, 20 + n).toString("utf8"), appid: body.subarray(20 + n).toString("utf8") };
}
