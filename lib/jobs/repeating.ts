import "server-only";
import type PgBoss from "pg-boss";
import { ensureQueue } from "./boss";

/**
 * Work that repeats (the status checks, the callback sweep) as pg-boss jobs, not timers: one round
 * runs in one process at a time, whichever process's worker takes the job. pg-boss 10's `schedule`
 * is cron, once a minute at most, and these rounds run every 30 s or more often, so each is a
 * self-rescheduling job: a "stately" queue holds at most one job waiting and one running across
 * every process, and the round's worker sends the next job with `startAfter` when it is done.
 * Every process sends one at start (refused while one waits). A chain broken by a crash mid-round
 * or a failed send starts again within a minute: a cron schedule runs a "kick" job every minute
 * (on a queue of its own: pg-boss's cron inserts without the duplicate check `send` has, and a
 * stately queue would refuse it with an error), which sends the round's job unless one waits.
 */
export async function startRepeating(
  boss: PgBoss,
  name: string,
  o: { everyMs: number; firstAfterMs?: number; round: () => Promise<void> },
): Promise<{ stop(): Promise<void> }> {
  await ensureQueue(boss, name, { policy: "stately", retryLimit: 0, expireInSeconds: 15 * 60 });
  let stopped = false;
  const next = async (afterMs: number) => {
    if (stopped) return;
    await boss
      .send(name, {}, { startAfter: new Date(Date.now() + afterMs), retryLimit: 0 })
      .catch((e: Error) => console.warn(`[qunfa] queueing the next ${name} failed: ${e.message}`));
  };
  const id = await boss.work(name, { batchSize: 1 }, async () => {
    try {
      if (!stopped) await o.round();
    } catch (e) {
      console.warn(`[qunfa] ${name} failed: ${(e as Error).message}`);
    } finally {
      await next(o.everyMs);
    }
  });
  const kick = `${name}-kick`;
  await ensureQueue(boss, kick, { retryLimit: 0 });
  const kickId = await boss.work(kick, { batchSize: 1 }, async () => next(0));
  await boss.schedule(kick, "* * * * *", {}, { retryLimit: 0 });
  await next(o.firstAfterMs ?? 0);
  return {
    async stop() {
      stopped = true;
      for (const w of [kickId, id]) await boss.offWork({ id: w } as never).catch(() => {});
    },
  };
}
