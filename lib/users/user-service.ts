import "server-only";
import { and, count, desc, eq, gt, isNull } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { invitation, user } from "@/db/schema";
import { getAuth } from "@/lib/auth/auth";
import type { Role } from "@/lib/auth/permissions";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: string;
  banned: boolean;
  createdAt: Date;
  /** what the person typed in their profile, and what an admin confirmed (lib/users/preview-target.ts) */
  wechatId: string | null;
  previewOpenid: string | null;
  wechatIdConfirmed: string | null;
  previewOpenidConfirmed: string | null;
}

export class UserError extends Error {
  constructor(readonly code: "exists" | "invalidInvite" | "lastAdmin" | "self" | "notFound" | "setupDone") {
    super(code);
  }
}

const hashToken = (t: string) => createHash("sha256").update(t).digest("hex");

async function createUserWithPassword(db: Db, name: string, email: string, password: string, role: Role): Promise<string> {
  const [existing] = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
  if (existing) throw new UserError("exists");
  const auth = await getAuth();
  const res = await auth.api.signUpEmail({ body: { name, email, password } });
  await db.update(user).set({ role, emailVerified: true }).where(eq(user.id, res.user.id));
  return res.user.id;
}

/** First run only: refuses once any user exists (checked again here, not just by the page). */
export async function createFirstAdmin(db: Db, v: { name: string; email: string; password: string }): Promise<string> {
  const [{ n }] = await db.select({ n: count() }).from(user);
  if (n > 0) throw new UserError("setupDone");
  const id = await createUserWithPassword(db, v.name, v.email, v.password, "admin");
  await db.transaction((tx) =>
    writeAudit(tx, { actor: { id, email: v.email }, action: "user.setup", entityType: "user", entityId: id, summary: { role: "admin" } }),
  );
  return id;
}

/** QUNFA_ADMIN_EMAIL + QUNFA_ADMIN_PASSWORD: the first admin for unattended runs. */
export async function ensureEnvAdmin(db: Db, email: string | undefined, password: string | undefined): Promise<void> {
  if (!email || !password) return;
  const [{ n }] = await db.select({ n: count() }).from(user);
  if (n > 0) return;
  await createFirstAdmin(db, { name: email.split("@")[0] || "admin", email: email.toLowerCase(), password });
  console.log(`[qunfa] created the first admin ${email} from QUNFA_ADMIN_EMAIL`);
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      banned: user.banned,
      createdAt: user.createdAt,
      wechatId: user.wechatId,
      previewOpenid: user.previewOpenid,
      wechatIdConfirmed: user.wechatIdConfirmed,
      previewOpenidConfirmed: user.previewOpenidConfirmed,
    })
    .from(user)
    .orderBy(desc(user.createdAt));
  return rows.map((r) => ({ ...r, banned: !!r.banned }));
}

export interface InvitationRow {
  id: string;
  email: string;
  role: string;
  expiresAt: Date;
  createdAt: Date;
}

export async function listOpenInvitations(db: Db): Promise<InvitationRow[]> {
  return db
    .select({ id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt, createdAt: invitation.createdAt })
    .from(invitation)
    .where(and(isNull(invitation.acceptedAt), isNull(invitation.revokedAt), gt(invitation.expiresAt, new Date())))
    .orderBy(desc(invitation.createdAt));
}

/** Returns the one-time token; only its hash is stored, so the link is shown once. */
export async function createInvitation(db: Db, actor: Actor, v: { email: string; role: Role }): Promise<{ id: string; token: string }> {
  const [existing] = await db.select({ id: user.id }).from(user).where(eq(user.email, v.email));
  if (existing) throw new UserError("exists");
  const token = randomBytes(24).toString("base64url");
  const id = "inv_" + randomBytes(8).toString("hex");
  await db.transaction(async (tx) => {
    await tx.insert(invitation).values({
      id,
      email: v.email,
      role: v.role,
      tokenHash: hashToken(token),
      invitedBy: actor.id,
      expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    });
    await writeAudit(tx, { actor, action: "user.invite", entityType: "invitation", entityId: id, summary: { email: v.email, role: v.role } });
  });
  return { id, token };
}

export async function revokeInvitation(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(invitation).set({ revokedAt: new Date() }).where(eq(invitation.id, id));
    await writeAudit(tx, { actor, action: "user.invite-revoke", entityType: "invitation", entityId: id });
  });
}

export async function findInvitation(db: Db, token: string) {
  const [inv] = await db
    .select()
    .from(invitation)
    .where(and(eq(invitation.tokenHash, hashToken(token)), isNull(invitation.acceptedAt), isNull(invitation.revokedAt), gt(invitation.expiresAt, new Date())));
  return inv ?? null;
}

export async function acceptInvitation(db: Db, v: { token: string; name: string; password: string }): Promise<{ email: string }> {
  const inv = await findInvitation(db, v.token);
  if (!inv) throw new UserError("invalidInvite");
  // Mark first so one link cannot make two users even when submitted twice at once.
  const claimed = await db
    .update(invitation)
    .set({ acceptedAt: new Date() })
    .where(and(eq(invitation.id, inv.id), isNull(invitation.acceptedAt)))
    .returning({ id: invitation.id });
  if (claimed.length === 0) throw new UserError("invalidInvite");
  const id = await createUserWithPassword(db, v.name, inv.email, v.password, inv.role as Role);
  await db.transaction((tx) =>
    writeAudit(tx, { actor: { id, email: inv.email }, action: "user.accept-invite", entityType: "user", entityId: id, summary: { role: inv.role } }),
  );
  return { email: inv.email };
}

async function adminCount(db: Db): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(user)
    .where(and(eq(user.role, "admin"), eq(user.banned, false)));
  return n;
}

export async function setUserRole(db: Db, actor: Actor, userId: string, role: Role): Promise<void> {
  const [target] = await db.select().from(user).where(eq(user.id, userId));
  if (!target) throw new UserError("notFound");
  if (target.role === "admin" && role !== "admin" && (await adminCount(db)) <= 1) throw new UserError("lastAdmin");
  await db.transaction(async (tx) => {
    await tx.update(user).set({ role, updatedAt: new Date() }).where(eq(user.id, userId));
    await writeAudit(tx, {
      actor,
      action: "user.set-role",
      entityType: "user",
      entityId: userId,
      summary: { email: target.email, before: target.role, after: role },
    });
  });
}

export async function setUserBanned(db: Db, actor: Actor, userId: string, banned: boolean): Promise<void> {
  if (userId === actor.id) throw new UserError("self");
  const [target] = await db.select().from(user).where(eq(user.id, userId));
  if (!target) throw new UserError("notFound");
  const { session } = await import("@/db/schema");
  await db.transaction(async (tx) => {
    await tx.update(user).set({ banned, updatedAt: new Date() }).where(eq(user.id, userId));
    if (banned) await tx.delete(session).where(eq(session.userId, userId));
    await writeAudit(tx, { actor, action: banned ? "user.ban" : "user.unban", entityType: "user", entityId: userId, summary: { email: target.email } });
  });
}

export async function updateProfile(db: Db, actor: Actor, v: { name: string; wechatId: string; previewOpenid: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(user)
      .set({ name: v.name, wechatId: v.wechatId || null, previewOpenid: v.previewOpenid || null, updatedAt: new Date() })
      .where(eq(user.id, actor.id));
    await writeAudit(tx, { actor, action: "user.update-profile", entityType: "user", entityId: actor.id, summary: { wechatId: v.wechatId || null } });
  });
}
