import "server-only";
import { and, desc, eq, gte, ilike, lt, lte, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";

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
  if (f.actor) where.push(ilike(auditLog.actorEmail, `%${f.actor.replace(/[%_\\]/g, "\\$&")}%`));
  if (f.accountId) where.push(eq(auditLog.accountId, f.accountId));
  if (f.from) where.push(gte(auditLog.at, f.from));
  if (f.to) where.push(lte(auditLog.at, f.to));
  if (f.before) where.push(lt(auditLog.id, f.before));
  const limit = Math.min(f.limit ?? 50, 200);
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1].id : null };
}
