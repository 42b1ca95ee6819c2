import { auditLog } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

export interface Actor {
  id: string;
  email: string;
}

export interface AuditEntry {
  actor: Actor | null;
  accountId?: string | null;
  /** `{entity}.{verb}`, e.g. `account.create`, `campaign.send`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  summary?: Record<string, unknown>;
}

/** Call inside the transaction that makes the change, so an unaudited change cannot commit. */
export async function writeAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    accountId: entry.accountId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    summary: entry.summary ?? {},
  });
}
