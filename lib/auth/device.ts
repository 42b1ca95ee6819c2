import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { derivedSecret } from "@/lib/crypto/secret-box";

/**
 * A browser that signed in to an email before carries this cookie: `<device id>.<mac>`, the MAC over
 * the id and the email. It lets that browser keep its own sign-in allowance while strangers' wrong
 * guesses have used up the email's (see throttle.ts). It grants nothing else: the password is
 * still checked, and a stolen cookie only buys the thief the device's own few attempts.
 */
export const DEVICE_COOKIE = "qunfa_device";
export const DEVICE_COOKIE_MAX_AGE = 60 * 60 * 24 * 180;

function mac(id: string, email: string): string {
  return createHmac("sha256", derivedSecret("sign-in-device")).update(`${id}\u0000${email.trim().toLowerCase()}`).digest("base64url");
}

/** A new cookie value for this email. */
export function issueDeviceCookie(email: string): string {
  const id = randomBytes(12).toString("base64url");
  return `${id}.${mac(id, email)}`;
}

/** The device id when the cookie was issued by us for this email, else null. */
export function knownDevice(cookie: string | undefined, email: string): string | null {
  if (!cookie || cookie.length > 200) return null;
  const [id, given, extra] = cookie.split(".");
  if (!id || !given || extra !== undefined) return null;
  const want = Buffer.from(mac(id, email));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got) ? id : null;
}
