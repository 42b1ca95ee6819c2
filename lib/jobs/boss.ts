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
  // Instances starting together race to create pg-boss's schema; the loser retries and finds it.
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.start();
      return boss;
    } catch (e) {
      if (attempt >= 5 || !/duplicate key|already exists/i.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt + Math.random() * 300));
    }
  }
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
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name, { name, ...options } as PgBoss.Queue);
      return;
    } catch (e) {
      // Instances creating queues at the same moment collide (duplicate, or a deadlock between
      // pg-boss's partition DDL): look again after a pause; the other one may have made it.
      if (attempt >= 6) throw e;
      await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
    }
  }
}
