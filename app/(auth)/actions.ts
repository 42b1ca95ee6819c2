"use server";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { getAuth } from "@/lib/auth/auth";
import { parseInput, zodFieldErrors, type ActionResult } from "@/lib/auth/action";
import { safeNextPath } from "@/lib/auth/safe-next";
import { signInFromRequest } from "@/lib/auth/sign-in-request";
import { acceptInviteSchema, setupSchema, signInSchema } from "@/lib/users/schemas";
import { acceptInvitation, createFirstAdmin, UserError } from "@/lib/users/user-service";

// These three are the only actions an anonymous visitor may call: signing in, the first-run
// setup (refused once a user exists) and accepting an invitation (needs its one-time token).

export async function signInAction(raw: unknown, next?: string): Promise<ActionResult<{ redirectTo: string }>> {
  const t = await getTranslations("auth");
  const parsed = await parseInput(signInSchema, raw);
  if (!parsed.success) return { ok: false, error: t("checkFields"), fieldErrors: await zodFieldErrors(parsed.error) };
  const r = await signInFromRequest(parsed.data.email, parsed.data.password);
  if (!r.ok) return { ok: false, error: r.reason === "throttled" ? t("throttled", { minutes: Math.ceil(r.retryAfterSeconds / 60) }) : t("badCredentials") };
  return { ok: true, data: { redirectTo: safeNextPath(next) } };
}

export async function setupAction(raw: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  const t = await getTranslations("auth");
  const parsed = await parseInput(setupSchema, raw);
  if (!parsed.success) return { ok: false, error: t("checkFields"), fieldErrors: await zodFieldErrors(parsed.error) };
  const db = await getDb();
  try {
    await createFirstAdmin(db, parsed.data);
  } catch (e) {
    if (e instanceof UserError && e.code === "setupDone") return { ok: false, error: t("setupDone") };
    throw e;
  }
  const auth = await getAuth();
  await auth.api.signInEmail({ body: { email: parsed.data.email, password: parsed.data.password }, headers: await headers() });
  return { ok: true, data: { redirectTo: "/" } };
}

export async function acceptInviteAction(raw: unknown): Promise<ActionResult<{ redirectTo: string }>> {
  const t = await getTranslations("auth");
  const parsed = await parseInput(acceptInviteSchema, raw);
  if (!parsed.success) return { ok: false, error: t("checkFields"), fieldErrors: await zodFieldErrors(parsed.error) };
  const db = await getDb();
  let email: string;
  try {
    ({ email } = await acceptInvitation(db, parsed.data));
  } catch (e) {
    if (e instanceof UserError) return { ok: false, error: e.code === "exists" ? t("emailTaken") : t("inviteInvalid") };
    throw e;
  }
  const auth = await getAuth();
  await auth.api.signInEmail({ body: { email, password: parsed.data.password }, headers: await headers() });
  return { ok: true, data: { redirectTo: "/" } };
}

export async function signOutAction(): Promise<void> {
  const auth = await getAuth();
  await auth.api.signOut({ headers: await headers() });
}
