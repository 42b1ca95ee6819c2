import type { DbOrTx } from "@/db/client";

/**
 * Applying results, together: results whose pushes arrive while one transaction is applying are
 * applied by the next one, each in a savepoint of its own, so a burst of pushes costs one commit
 * per group instead of one per push. On the embedded database a commit is a synchronous fsync on
 * the process's only thread (db/durable-pglite.ts), during which no other request moves: with one
 * commit per result, a burst after a large send stalled every push behind the disk
 * (bench/callback.ts). One group is applied at a time, oldest first, at most MAX_GROUP results,
 * so what is queued behind a group stays bounded and every push gets its turn.
 */
type Apply = (tx: DbOrTx) => Promise<unknown>;

interface Item {
  apply: Apply;
  done: () => void;
}

const MAX_GROUP = 50;

class ApplyBatcher {
  private queue: Item[] = [];
  private running = false;
  constructor(private db: DbOrTx) {}

  add(apply: Apply): Promise<void> {
    return new Promise((done) => {
      this.queue.push({ apply, done });
      if (!this.running) void this.drain();
    });
  }

  private async drain() {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const items = this.queue.splice(0, MAX_GROUP);
        try {
          await this.db.transaction(async (tx) => {
            for (const it of items) await it.apply(tx);
          });
        } catch {
          // The group did not commit (a failed statement outside a result's savepoint, or the
          // commit itself): nothing of it stayed, so each result is applied alone.
          for (const it of items) await it.apply(this.db).catch(() => {});
        } finally {
          for (const it of items) it.done();
        }
      }
    } finally {
      this.running = false;
    }
  }
}

const batchers = new WeakMap<object, ApplyBatcher>();

/**
 * Runs `apply` (which handles its own failures: a result that cannot be applied stays recorded
 * with its error for the sweep) in the database's next group transaction; resolves once that
 * group has committed.
 */
export function applyInGroup(db: DbOrTx, apply: Apply): Promise<void> {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new ApplyBatcher(db)));
  return b.add(apply);
}
