import "server-only";
import { cookies, headers } from "next/headers";
import { APIError } from "better-auth/api";
import { getDb } from "@/db/client";
import { writeAudit } from "@/lib/audit/write-audit";
import { env } from "@/lib/config/env";
import { getAuth } from "./auth";
import { clientAddress } from "./client-address";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE } from "./device";
import { attemptSignIn, type SignInOutcome } from "./sign-in";
import { signInLimiters } from "./throttle";

/** Sets the cookie that makes this browser a known device for the email it just signed in to. */
async function rememberDevice(value: string) {
  (await cookies()).set(DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: env.publicUrl.startsWith("https:"),
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE,
  });
}

/** The sign-in form's request: throttled, checked by better-auth (which sets the session cookie), audited. */
export async function signInFromRequest(email: string, password: string): Promise<SignInOutcome> {
  const h = await headers();
  const jar = await cookies();
  const auth = await getAuth();
  const outcome = await attemptSignIn(
    await signInLimiters(),
    { email, password, client: clientAddress(h), deviceCookie: jar.get(DEVICE_COOKIE)?.value },
    async () => {
      try {
        await auth.api.signInEmail({ body: { email, password }, headers: h });
        return true;
      } catch (e) {
        if (e instanceof APIError) return false;
        throw e;
      }
    },
  );
  if (outcome.ok) await rememberDevice(outcome.deviceCookie);
  else if (outcome.reason === "badCredentials") {
    const db = await getDb();
    await db.transaction((tx) => writeAudit(tx, { actor: null, action: "user.sign-in-failed", entityType: "user", summary: { email } }));
  }
  return outcome;
}
