// Pushes as WeChat sends them to a safe-mode callback account, and such an account's form: shared by
// the callback tests and the callback bench (relative imports, so the bench runs them under tsx).
import type { AccountFormValues } from "../../lib/accounts/schemas";
import { buildXml, encryptMessage, msgSignature, sha1Sorted } from "../../lib/wechat";

/** A safe-mode push's query: the URL signature and the message signature over `encrypted`. */
export function signedSafeQuery(token: string, timestamp: string, nonce: string, encrypted: string, openid?: string): string {
  const who = openid ? `&openid=${openid}` : "";
  return (
    `signature=${sha1Sorted([token, timestamp, nonce])}&timestamp=${timestamp}&nonce=${nonce}${who}` +
    `&encrypt_type=aes&msg_signature=${msgSignature(token, timestamp, nonce, encrypted)}`
  );
}

/** `xml` as WeChat pushes it in safe mode now: encrypted for the account, signed with its token. */
export function safeModePush(
  xml: string,
  o: { token: string; aesKey: string; appid: string; nonce: string; toUserName: string; openid?: string },
): { query: string; body: string } {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const enc = encryptMessage(xml, o.aesKey, o.appid);
  return { query: signedSafeQuery(o.token, timestamp, o.nonce, enc, o.openid), body: buildXml({ ToUserName: o.toUserName, Encrypt: enc }) };
}

/** A callback account's form for createAccount: a verified service account whose API is unreachable. */
export function callbackAccountForm(
  name: string,
  o: { appid: string; token: string; aesKey: string; messageMode?: AccountFormValues["messageMode"] },
): AccountFormValues {
  return {
    name,
    appid: o.appid,
    appSecret: "0123456789abcdef0123456789abcdef",
    type: "service",
    verified: true,
    callbackToken: o.token,
    encodingAesKey: o.aesKey,
    messageMode: o.messageMode ?? "safe",
    relayUrl: "",
    apiBaseUrl: "http://127.0.0.1:1",
    timezone: "Asia/Shanghai",
    requiresApproval: false,
  };
}
