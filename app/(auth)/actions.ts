"use server";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { APIError } from "better-auth/api";
import { getDb } from "@/db/client";
import { getAuth } from "@/lib/auth/auth";
import { parseInput, zodFieldErrors, type ActionResult } from "@/lib/auth/action";
import { clearFailedSignIns, recordFailedSignIn, signInBlockedFor } from "@/lib/auth/throttle";
import { acceptInviteSchema, setupSchema, signInSchema } from "@/lib/users/schemas";
import { acceptInvitation, createFirstAdmin, UserError } from "@/lib/users/user-service";
import { writeAudit } from "@/lib/audit/write-audit";

function safeNext(next: unknown): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

// These three are the only actions an anonymous visitor may call: signing in, the first-run
// setup (refused once a user exists) and accepting an invitation (needs its one-time token).

export async function signInAction(raw: unknown, next?: string): Promise<ActionResult<{ redirectTo: string }>> {
  const t = await getTranslations("auth");
  const parsed = await parseInput(signInSchema, raw);
  if (!parsed.success) return { ok: false, error: t("checkFields"), fieldErrors: await zodFieldErrors(parsed.error) };
  const { email, password } = parsed.data;
  const blocked = await signInBlockedFor(email);
  if (blocked > 0) return { ok: false, error: t("throttled", { minutes: Math.ceil(blocked / 60) }) };
  const auth = await getAuth();
  try {
    await auth.api.signInEmail({ body: { email, password }, headers: await headers() });
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    const wait = await recordFailedSignIn(email);
    const db = await getDb();
    await db.transaction((tx) => writeAudit(tx, { actor: null, action: "user.sign-in-failed", entityType: "user", summary: { email } }));
    if (wait > 0) return { ok: false, error: t("throttled", { minutes: Math.ceil(wait / 60) }) };
    return { ok: false, error: t("badCredentials") };
  }
  await clearFailedSignIns(email);
  return { ok: true, data: { redirectTo: safeNext(next) } };
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
