import "server-only";
import PgBoss from "pg-boss";
import { getDbHandle, type DbHandle } from "@/db/client";

type Global = typeof globalThis & { __qunfaBoss?: Promise<PgBoss> };
const g = globalThis as Global;

/** pg-boss on the same database as everything else: PGlite through its executeSql adapter, or the pg pool. */
export async function createBoss(handle: DbHandle): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => handle.executeSql(text, values) },
    schema: "pgboss",
  });
  boss.on("error", (e) => console.error("[qunfa] pg-boss error:", e.message));
  await boss.start();
  return boss;
}

export function getBoss(): Promise<PgBoss> {
  if (!g.__qunfaBoss) {
    g.__qunfaBoss = getDbHandle()
      .then(createBoss)
      .catch((e) => {
        g.__qunfaBoss = undefined;
        throw e;
      });
  }
  return g.__qunfaBoss;
}

/** pg-boss 10 needs a queue to exist before jobs are sent to it or worked. */
export async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, "name"> = {}): Promise<void> {
  const existing = await boss.getQueue(name);
  if (!existing) await boss.createQueue(name, { name, ...options } as PgBoss.Queue);
}
