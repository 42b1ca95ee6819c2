import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * WeChat's message encryption (safe and compatible mode): AES-256-CBC, key = base64(EncodingAESKey
 * + "="), IV = key[0..16], plaintext = 16 random bytes ‖ uint32 BE length ‖ xml ‖ appid, PKCS#7
 * padded to 32-byte blocks (not AES's 16: node's own padding would be wrong, so it is done here).
 */
export class CallbackCryptoError extends Error {
  constructor(readonly reason: "bad-key" | "bad-ciphertext" | "bad-padding" | "bad-length" | "wrong-appid") {
    super(`callback crypto: ${reason}`);
    this.name = "CallbackCryptoError";
  }
}

const BLOCK = 32;

export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) throw new CallbackCryptoError("bad-key");
  const key = Buffer.from(encodingAesKey + "=", "base64");
  if (key.length !== 32) throw new CallbackCryptoError("bad-key");
  return key;
}

export function pkcs7Pad(buf: Buffer): Buffer {
  const n = BLOCK - (buf.length % BLOCK);
  return Buffer.concat([buf, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(buf: Buffer): Buffer {
  const n = buf[buf.length - 1];
  if (!n || n > BLOCK || n > buf.length) throw new CallbackCryptoError("bad-padding");
  for (let i = buf.length - n; i < buf.length; i++) if (buf[i] !== n) throw new CallbackCryptoError("bad-padding");
  return buf.subarray(0, buf.length - n);
}

export function encryptMessage(xml: string, encodingAesKey: string, appid: string, random: Buffer = randomBytes(16)): string {
  const key = aesKeyOf(encodingAesKey);
  const body = Buffer.from(xml, "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  const plain = pkcs7Pad(Buffer.concat([random, len, body, Buffer.from(appid, "utf8")]));
  const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]).toString("base64");
}

/** Decrypts and checks the appid suffix (node-webot's wechat 2.1.0 left that check as a TODO). */
export function decryptMessage(encrypt: string, encodingAesKey: string, appid: string): string {
  const key = aesKeyOf(encodingAesKey);
  const data = Buffer.from(encrypt, "base64");
  if (data.length === 0 || data.length % 16 !== 0) throw new CallbackCryptoError("bad-ciphertext");
  let plain: Buffer;
  try {
    const d = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
    d.setAutoPadding(false);
    plain = Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new CallbackCryptoError("bad-ciphertext");
  }
  plain = pkcs7Unpad(plain);
  if (plain.length < 20) throw new CallbackCryptoError("bad-length");
  const len = plain.readUInt32BE(16);
  if (20 + len > plain.length) throw new CallbackCryptoError("bad-length");
  const xml = plain.subarray(20, 20 + len).toString("utf8");
  const from = plain.subarray(20 + len).toString("utf8");
  if (from !== appid) throw new CallbackCryptoError("wrong-appid");
  return xml;
}

/**
 * Tries the current key, then the previous one (an admin changed the EncodingAESKey while pushes
 * encrypted with the old one were on their way). Returns which key worked.
 */
export function decryptWithKeys(encrypt: string, keys: (string | null | undefined)[], appid: string): { xml: string; keyIndex: number } {
  let last: unknown = new CallbackCryptoError("bad-key");
  const usable = keys.filter((k): k is string => !!k);
  for (let i = 0; i < usable.length; i++) {
    try {
      return { xml: decryptMessage(encrypt, usable[i], appid), keyIndex: i };
    } catch (e) {
      last = e;
      // A wrong appid is not a key problem: another key will not make it ours.
      if (e instanceof CallbackCryptoError && e.reason === "wrong-appid" && i === usable.length - 1) throw e;
    }
  }
  throw last;
}
