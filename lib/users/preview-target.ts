import "server-only";
import { and, count, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { user } from "@/db/schema";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";

/**
 * Where a person's previews may go. WeChat's message/mass/preview delivers to any follower's WeChat
 * ID (towxname) or OpenID, so a WeChat ID typed into one's own profile could send anything to anyone.
 * Chosen rule: previews go only to the WeChat ID (or OpenID) an admin confirmed as this person's own,
 * on the admin users page; the confirmed value is stored itself, so a changed ID is unconfirmed until
 * an admin confirms it again. (The alternative, testers listed per account, was not taken: one
 * confirmation covers every account, and an admin already vouches for each person's role.)
 */
export type PreviewTarget =
  | { ok: true; to: string; towxname: string | null; touser: string | null }
  | { ok: false; reason: "none" }
  | { ok: false; reason: "unconfirmed"; value: string };

export interface PreviewFields {
  wechatId: string | null;
  previewOpenid: string | null;
  wechatIdConfirmed: string | null;
  previewOpenidConfirmed: string | null;
}

/** The rule above on a user's row: the WeChat ID wins over the OpenID, as in WeChat's own API. */
export function previewTargetOf(u: PreviewFields): PreviewTarget {
  if (u.wechatId && u.wechatId === u.wechatIdConfirmed) return { ok: true, to: u.wechatId, towxname: u.wechatId, touser: null };
  if (u.previewOpenid && u.previewOpenid === u.previewOpenidConfirmed) return { ok: true, to: u.previewOpenid, towxname: null, touser: u.previewOpenid };
  const typed = u.wechatId ?? u.previewOpenid;
  return typed ? { ok: false, reason: "unconfirmed", value: typed } : { ok: false, reason: "none" };
}

/** Read from the database on every preview (not from the session, which may be older than a revoke). */
export async function previewTargetFor(db: Db, userId: string): Promise<PreviewTarget> {
  const [u] = await db
    .select({
      wechatId: user.wechatId,
      previewOpenid: user.previewOpenid,
      wechatIdConfirmed: user.wechatIdConfirmed,
      previewOpenidConfirmed: user.previewOpenidConfirmed,
    })
    .from(user)
    .where(eq(user.id, userId));
  return u ? previewTargetOf(u) : { ok: false, reason: "none" };
}

export class PreviewConfirmError extends Error {
  constructor(readonly code: "notFound" | "changed" | "selfConfirm" | "nothingToConfirm") {
    super(code);
  }
}

/**
 * An admin confirms (or revokes) a user's preview targets exactly as the admin's page showed them
 * (`seen`): a value changed since is refused, so an admin never confirms an ID they did not read.
 * An admin may confirm their own only while no other admin exists (the first admin, at setup).
 */
export async function setPreviewConfirmation(
  db: Db,
  actor: Actor,
  userId: string,
  seen: { wechatId: string | null; previewOpenid: string | null },
  confirm: boolean,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [u] = await tx.select().from(user).where(eq(user.id, userId)).for("update");
    if (!u) throw new PreviewConfirmError("notFound");
    if ((u.wechatId ?? null) !== (seen.wechatId || null) || (u.previewOpenid ?? null) !== (seen.previewOpenid || null))
      throw new PreviewConfirmError("changed");
    if (confirm) {
      if (!u.wechatId && !u.previewOpenid) throw new PreviewConfirmError("nothingToConfirm");
      if (userId === actor.id) {
        const [{ n }] = await tx
          .select({ n: count() })
          .from(user)
          .where(and(eq(user.role, "admin"), eq(user.banned, false), ne(user.id, actor.id)));
        if (n > 0) throw new PreviewConfirmError("selfConfirm");
      }
    }
    await tx
      .update(user)
      .set(
        confirm
          ? { wechatIdConfirmed: u.wechatId, previewOpenidConfirmed: u.previewOpenid, updatedAt: new Date() }
          : { wechatIdConfirmed: null, previewOpenidConfirmed: null, updatedAt: new Date() },
      )
      .where(eq(user.id, userId));
    await writeAudit(tx, {
      actor,
      action: confirm ? "user.confirm-preview-target" : "user.revoke-preview-target",
      entityType: "user",
      entityId: userId,
      summary: { email: u.email, wechatId: u.wechatId, previewOpenid: u.previewOpenid },
    });
  });
}
