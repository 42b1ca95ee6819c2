import "server-only";
import { and, desc, eq, getTableColumns, gte, ilike, lt, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, user } from "@/db/schema";

export interface AuditFilter {
  action?: string;
  actor?: string;
  accountId?: string;
  from?: Date;
  to?: Date;
  /** keyset: rows older than this id */
  before?: number;
  limit?: number;
}

export async function listAudit(db: Db, f: AuditFilter) {
  const where: SQL[] = [];
  if (f.action) where.push(ilike(auditLog.action, `${f.action.replace(/[%_\\]/g, "\\$&")}%`));
  // "Who" is typed as people know each other: by name (王小明) or by email.
  if (f.actor) {
    const like = `%${f.actor.replace(/[%_\\]/g, "\\$&")}%`;
    where.push(or(ilike(auditLog.actorEmail, like), ilike(user.name, like))!);
  }
  if (f.accountId) where.push(eq(auditLog.accountId, f.accountId));
  if (f.from) where.push(gte(auditLog.at, f.from));
  if (f.to) where.push(lte(auditLog.at, f.to));
  if (f.before) where.push(lt(auditLog.id, f.before));
  const limit = Math.min(f.limit ?? 50, 200);
  // The person's current name beside the email the row recorded (a deleted person keeps the email).
  const rows = await db
    .select({ ...getTableColumns(auditLog), actorName: user.name })
    .from(auditLog)
    .leftJoin(user, eq(user.id, auditLog.actorId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1].id : null };
}
