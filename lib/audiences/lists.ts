import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "@/db/client";
import { audienceListChunks, audienceLists } from "@/db/schema";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { finishImport, ImportColumnError, importAudienceStream, ImportRefusedError, type ImportOptions, type ImportRefusal, type ImportReport } from "./import";

export function newListId() {
  return "l" + randomBytes(8).toString("hex");
}

/** Creates a named list from an uploaded stream and returns its report (or why it failed). */
export async function createAudienceList(
  db: Db,
  actor: Actor,
  accountId: string,
  name: string,
  input: AsyncIterable<Uint8Array | string>,
  opts: ImportOptions = {},
): Promise<
  | { listId: string; report: ImportReport }
  | { listId: string; error: "column"; headers: string[] }
  /** listId: the id the refused list had; no row of it remains. */
  | { listId: string; error: "refused"; refusal: ImportRefusal; report: ImportReport | null }
> {
  const listId = newListId();
  await db.insert(audienceLists).values({ id: listId, accountId, name, status: "importing", createdBy: actor.id });
  try {
    const report = await importAudienceStream(db, listId, input, opts);
    // The list becomes usable and its audit row is written in one transaction (fail closed).
    await db.transaction(async (tx) => {
      await finishImport(tx, listId, report);
      await writeAudit(tx, {
        actor,
        accountId,
        action: "audience.import",
        entityType: "audience_list",
        entityId: listId,
        summary: { name, valid: report.valid, invalid: report.invalid, duplicates: report.duplicates, blank: report.blank, lines: report.linesRead },
      });
    });
    return { listId, report };
  } catch (e) {
    if (e instanceof ImportRefusedError) {
      // A refused list (too few or too many OpenIDs, not a text file) is not kept at all: nothing
      // of it can be chosen for a send.
      await db.delete(audienceLists).where(eq(audienceLists.id, listId));
      return { listId, error: "refused", refusal: e.refusal, report: e.report ?? null };
    }
    await finishImport(db, listId, { error: (e as Error).message });
    if (e instanceof ImportColumnError) return { listId, error: "column", headers: e.headers };
    throw e;
  }
}

export async function listAudienceLists(db: DbOrTx, accountId: string) {
  return db
    .select()
    .from(audienceLists)
    .where(and(eq(audienceLists.accountId, accountId), eq(audienceLists.status, "ready")))
    .orderBy(desc(audienceLists.createdAt));
}

export async function getAudienceList(db: DbOrTx, accountId: string, listId: string) {
  const [l] = await db
    .select()
    .from(audienceLists)
    .where(and(eq(audienceLists.id, listId), eq(audienceLists.accountId, accountId)));
  return l ?? null;
}

/** OpenIDs [from, from + count) of a list, in import order, reading only the segments that hold them. */
export async function readListRange(db: DbOrTx, listId: string, from: number, count: number): Promise<string[]> {
  const rows = await db
    .select({ first: audienceListChunks.first, openids: audienceListChunks.openids })
    .from(audienceListChunks)
    .where(
      and(
        eq(audienceListChunks.listId, listId),
        lt(audienceListChunks.first, from + count),
        gt(sql`${audienceListChunks.first} + ${audienceListChunks.count}`, from),
      ),
    )
    .orderBy(asc(audienceListChunks.seq));
  const out: string[] = [];
  for (const r of rows) {
    const ids = r.openids.split("\n");
    const s = Math.max(0, from - r.first);
    const e = Math.min(ids.length, from + count - r.first);
    for (let i = s; i < e; i++) out.push(ids[i]);
  }
  return out;
}
