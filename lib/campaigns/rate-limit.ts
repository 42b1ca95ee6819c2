import { sql, type SQL } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { queryRows } from "@/db/client";

/** WeChat refuses more than 60 mass-send requests a minute per account. */
export const DEFAULT_PER_MINUTE = 60;

/** Milliseconds between two mass requests of one account: 1 % slower than the limit, whole ms. */
function spacingMs(perMinute: number): number {
  return Math.ceil((60_000 / perMinute) * 1.01);
}

/**
 * A condition that is always true and makes the statement's commit not wait for the WAL to reach
 * the disk (PostgreSQL; `set_config(…, true)` lasts to the end of the statement's own
 * transaction). The pipeline's bookkeeping writes (claims, answers, the pace) use it: waiting for
 * the flush was most of the pipeline's own time per batch. It is safe because each of those writes
 * is recoverable by design: if the database server itself crashes, the last few milliseconds of
 * commits may be lost (never half-applied); a lost claim or msg_id only means the batch is sent
 * again with its clientmsgid, which WeChat answers with 45065 and the msg_id, and a lost slot
 * reservation costs one slot's pace at most.
 */
export function relaxedCommit(h: DbHandle): SQL {
  return h.driver === "pg" ? sql`(select set_config('synchronous_commit', 'off', true)) is not null` : sql`true`;
}

/**
 * Reserves the account's next mass-request slot and returns how long to wait for it.
 *
 * The slots are handed out in the database (the `qunfa_rate_limits` table, which
 * rate-limiter-flexible also uses for sign-in throttling, under its own key prefix), so every
 * process on one PostgreSQL database shares one pace; on PGlite the one process is the only user.
 * Each call moves the account's "next free slot" on by one spacing and returns the slot it took:
 * slots are exactly one spacing apart whatever the callers' own latency, where a
 * "try, fail, sleep, try again" limiter loses its wake-up and round-trip time on every request
 * (at 600 a minute that alone cost several percent of the allowed rate). Times are the database's
 * clock, so processes on machines with skewed clocks still agree.
 */
export async function reserveMassSlot(h: DbHandle, accountId: string, perMinute: number): Promise<number> {
  const step = spacingMs(perMinute);
  const [r] = await queryRows<{ wait: string | number }>(
    h.db,
    sql`with now_ms as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as t)
        insert into qunfa_rate_limits as r (key, points, expire)
        select ${`massslot:${accountId}`}, 1, t + ${step} from now_ms where ${relaxedCommit(h)}
        on conflict (key) do update set expire = greatest(r.expire, (select t from now_ms)) + ${step}, points = r.points + 1
        returning (r.expire - ${step}) - (select t from now_ms) as wait`,
  );
  return Math.max(0, Number(r.wait));
}

/** Sleeps until `at` (performance.now() time), in steps of at most a second so a stopping worker does not hang on. */
export async function sleepUntil(at: number, signal?: { stopped: boolean }): Promise<void> {
  for (;;) {
    const wait = at - performance.now();
    if (wait <= 0) return;
    if (signal?.stopped) throw new Error("stopped");
    await new Promise((r) => setTimeout(r, Math.min(wait, 1_000)));
  }
}
