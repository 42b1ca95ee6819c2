import "server-only";
import { consumeAttempt, type SignInLimiters } from "./throttle";
import { issueDeviceCookie, knownDevice } from "./device";

export interface SignInAttempt {
  email: string;
  password: string;
  /** The connecting client (client-address.ts). */
  client: string;
  /** The device cookie the browser sent, if any. */
  deviceCookie?: string;
}

export type SignInOutcome =
  { ok: true; deviceCookie: string } | { ok: false; reason: "throttled"; retryAfterSeconds: number } | { ok: false; reason: "badCredentials" };

/**
 * One sign-in: the attempt is counted before the password is looked at, so however many guesses
 * arrive at once, at most the limit's worth reach `verify`. A browser that signed in to this email
 * before is counted on its own key only; everyone else on the email's key and on their address's.
 * `verify` checks the password (and starts the session); it is only called when no key refused.
 */
export async function attemptSignIn(limiters: SignInLimiters, a: SignInAttempt, verify: () => Promise<boolean>): Promise<SignInOutcome> {
  const email = a.email.trim().toLowerCase();
  const device = knownDevice(a.deviceCookie, email);
  const keys = device
    ? [{ limiter: limiters.device, key: `${device}` }]
    : [
        { limiter: limiters.email, key: email },
        { limiter: limiters.client, key: a.client },
      ];
  const wait = await consumeAttempt(keys);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  if (!(await verify())) return { ok: false, reason: "badCredentials" };
  // The right password: the mistakes before it no longer count against this person.
  await Promise.all(keys.map(({ limiter, key }) => limiter.delete(key)));
  return { ok: true, deviceCookie: device && a.deviceCookie ? a.deviceCookie : issueDeviceCookie(email) };
}
