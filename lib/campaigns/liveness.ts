import { sql, type SQL } from "drizzle-orm";
import { hostname } from "node:os";
import pg from "pg";
import type { DbHandle } from "@/db/client";

/**
 * Which worker processes are alive, told by PostgreSQL itself: each process holds session advisory
 * locks on a connection of its own for as long as it lives, and PostgreSQL frees them the moment
 * that session ends (the process died, or its connection was cut). Nothing has to expire.
 *
 * - The worker lock (WORKER_LOCK_NS, hashtext(worker id)) says "the worker named in a batch's
 *   claimed_by is alive". A batch left "submitting" under a free lock is retaken at once.
 * - A campaign lock (CAMPAIGN_LOCK_NS, hashtext(campaign id)), taken shared by every process while
 *   it drains that campaign, says "someone is sending this campaign". A campaign that is sending
 *   while nobody holds it has lost its drain (the process died, or the database dropped under it)
 *   and is adopted by any live worker (`orphanedCampaigns`).
 *
 * The worker id carries a generation: each time the worker lock is (re)taken after its connection
 * was lost, the process takes it under a new id. Batches claimed under the old id then belong to
 * nobody, so they are retaken at once, by this process or another, and an answer that comes back
 * for one of them afterwards finds the batch no longer claimed under that id and records nothing:
 * two workers never both own one batch. While the lock is lost, the process claims nothing
 * (`ownLockHeld` is part of every claim).
 *
 * On PGlite one process owns the database: there are no locks to hold, the id never changes, and
 * what was in flight when a process stopped is released when the next one starts.
 */
export const WORKER_LOCK_NS = 0x716631; // "qf1"
const CAMPAIGN_LOCK_NS = 0x716632; // "qf2"

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 2_000;

interface Keeper {
  /** the worker id the lock is held under (or will be, once connected) */
  id: string;
  client: pg.Client | null;
  connecting: Promise<pg.Client> | null;
  /** campaigns this process drains on this handle, with how many drains each */
  campaigns: Map<string, number>;
  released: boolean;
  retry: ReturnType<typeof setTimeout> | null;
  retryMs: number;
}

let generation = 0;
const base = `${hostname()}:${process.pid}`;
const nextId = () => `${base}#${++generation}`;
const keepers = new WeakMap<DbHandle, Keeper>();

function keeperOf(h: DbHandle): Keeper {
  let k = keepers.get(h);
  if (!k) {
    k = { id: nextId(), client: null, connecting: null, campaigns: new Map(), released: false, retry: null, retryMs: RETRY_MIN_MS };
    keepers.set(h, k);
  }
  return k;
}

/** The id this process writes into claimed_by on this handle now. */
export function workerId(h: DbHandle): string {
  return keeperOf(h).id;
}

const poolClosed = (h: DbHandle) => {
  const p = h.pool as (pg.Pool & { ending?: boolean; ended?: boolean }) | undefined;
  return !p || p.ending || p.ended;
};

function scheduleRetake(h: DbHandle, k: Keeper) {
  if (k.released || k.retry || poolClosed(h)) return;
  k.retry = setTimeout(() => {
    k.retry = null;
    holdWorkerLock(h).catch(() => scheduleRetake(h, k));
  }, k.retryMs);
  k.retry.unref?.();
  k.retryMs = Math.min(RETRY_MAX_MS, k.retryMs * 2);
}

async function connect(h: DbHandle, k: Keeper): Promise<pg.Client> {
  const client = new pg.Client(h.pool!.options);
  const lost = () => {
    if (k.client !== client) return;
    // The session is gone and so are its locks: claims made under this id now belong to nobody.
    k.client = null;
    k.id = nextId();
    scheduleRetake(h, k);
  };
  client.on("error", lost);
  client.on("end", lost);
  try {
    await client.connect();
    // try, not wait: a session of ours PostgreSQL has not yet noticed is dead must not hold us up
    // (the id is new anyway, so nobody else can hold it).
    const { rows } = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1::int, hashtext($2)) as ok", [WORKER_LOCK_NS, k.id]);
    if (!rows[0]?.ok) throw new Error(`the liveness lock of ${k.id} is held elsewhere`);
    for (const id of k.campaigns.keys()) await client.query("select pg_advisory_lock_shared($1::int, hashtext($2))", [CAMPAIGN_LOCK_NS, id]);
    // The lock's connection must not keep a finished process (or test run) alive.
    (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
  } catch (e) {
    client.removeAllListeners("end");
    client.on("error", () => {});
    await client.end().catch(() => {});
    throw e;
  }
  if (k.released) {
    await client.end().catch(() => {});
    throw new Error("the liveness lock was released");
  }
  k.client = client;
  k.retryMs = RETRY_MIN_MS;
  return client;
}

/**
 * Holds this process's liveness lock on PostgreSQL: at once when it is held, else after
 * (re)connecting. A lost lock connection is also re-established in the background, with its
 * campaign locks, so a process that lived through a database outage is known alive again within
 * seconds of the database's return.
 */
export async function holdWorkerLock(h: DbHandle): Promise<void> {
  if (h.driver !== "pg" || !h.pool) return;
  const k = keeperOf(h);
  if (k.client) return;
  k.connecting ??= connect(h, k).finally(() => {
    k.connecting = null;
  });
  await k.connecting;
}

/** Lets go of the liveness lock (worker shutdown, tests closing their database). */
export async function releaseWorkerLock(h: DbHandle): Promise<void> {
  const k = keepers.get(h);
  if (!k) return;
  k.released = true;
  if (k.retry) clearTimeout(k.retry);
  k.retry = null;
  await k.connecting?.catch(() => {});
  const client = k.client;
  k.client = null;
  await client?.end().catch(() => {});
  keepers.delete(h);
}

/** This process drains the campaign from now on (until `letGoCampaign`): it is not orphaned. */
export async function holdCampaign(h: DbHandle, campaignId: string): Promise<void> {
  const k = keeperOf(h);
  const n = k.campaigns.get(campaignId) ?? 0;
  k.campaigns.set(campaignId, n + 1);
  // A lost connection takes every campaign lock again when it is re-established.
  if (n === 0 && k.client) await k.client.query("select pg_advisory_lock_shared($1::int, hashtext($2))", [CAMPAIGN_LOCK_NS, campaignId]).catch(() => {});
}

export async function letGoCampaign(h: DbHandle, campaignId: string): Promise<void> {
  const k = keeperOf(h);
  const n = (k.campaigns.get(campaignId) ?? 1) - 1;
  if (n > 0) {
    k.campaigns.set(campaignId, n);
    return;
  }
  k.campaigns.delete(campaignId);
  if (k.client) await k.client.query("select pg_advisory_unlock_shared($1::int, hashtext($2))", [CAMPAIGN_LOCK_NS, campaignId]).catch(() => {});
}

/** Campaigns this process is draining on this handle. */
function campaignsDrainedHere(h: DbHandle): string[] {
  return [...keeperOf(h).campaigns.keys()];
}

/** An advisory lock of (ns, hashtext(key)) is granted to some session on this database. */
function lockHeld(ns: number, key: SQL): SQL {
  return sql`exists (
    select 1 from pg_locks l
    where l.locktype = 'advisory' and l.granted and l.objsubid = 2
      and l.database = (select oid from pg_database where datname = current_database())
      and l.classid = ${ns}::int::oid and l.objid = hashtext(${key})::oid)`;
}

/** In a claim: this process holds its liveness lock under the id it claims with. */
export function ownLockHeld(h: DbHandle): SQL {
  return h.driver === "pg" ? lockHeld(WORKER_LOCK_NS, sql`${workerId(h)}`) : sql`true`;
}

/** In a claim over campaign_batches: the batch's holder is no live worker. */
export function holderGone(h: DbHandle): SQL {
  return h.driver === "pg" ? sql`not ${lockHeld(WORKER_LOCK_NS, sql`coalesce(claimed_by, '')`)}` : sql`false`;
}

/** Over campaigns c: no process anywhere is draining the campaign. */
export function campaignUnattended(h: DbHandle): SQL {
  const here = campaignsDrainedHere(h);
  const local = here.length
    ? sql`c.id not in (${sql.join(
        here.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql`true`;
  return h.driver === "pg" ? sql`(${local} and not ${lockHeld(CAMPAIGN_LOCK_NS, sql`c.id`)})` : local;
}
