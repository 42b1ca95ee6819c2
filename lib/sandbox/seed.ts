import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { sandboxApps } from "@/db/schema";
import { SANDBOX_TAGS, SANDBOX_WECHAT_IDS, sandboxCredentials } from "./defaults";
import { pgTextArray } from "./util";
import { env } from "@/lib/config/env";

export interface SeedOptions {
  followers?: number;
}

/**
 * Seeds (idempotently) the two sandbox accounts with their followers, tags and WeChat IDs.
 * Deterministic: OpenIDs are "o" + 27 base64url characters of sha256(appid:seq), made and
 * inserted by one set-based statement each.
 */
export async function seedSandbox(db: DbOrTx, opts: SeedOptions = {}) {
  const n = opts.followers ?? env.sandboxFollowers;
  const apps = sandboxCredentials();
  for (const a of apps) {
    const inserted = await db
      .insert(sandboxApps)
      .values({ appid: a.appid, secret: a.secret, name: a.name, ghId: a.ghId, type: a.type, callbackToken: a.callbackToken, aesKey: a.aesKey })
      .onConflictDoNothing()
      .returning({ appid: sandboxApps.appid });
    if (inserted.length === 0) continue;
    await seedFollowers(db, a.appid, a.type === "service" ? n : Math.max(2, Math.floor(n / 5)));
  }
  return apps;
}

export async function seedFollowers(db: DbOrTx, appid: string, n: number) {
  await db.execute(sql`
    insert into sandbox_followers (appid, openid, seq, wechat_id, nickname)
    select ${appid},
           'o' || substr(translate(encode(sha256(convert_to(${appid} || ':' || g, 'UTF8')), 'base64'), '+/=', '-_'), 1, 27),
           g,
           (${pgTextArray(SANDBOX_WECHAT_IDS)}::text[])[g],
           '粉丝' || g
    from generate_series(1, ${n}) g
    on conflict do nothing`);
  for (const t of SANDBOX_TAGS) {
    await db.execute(sql`insert into sandbox_tags (appid, id, name) values (${appid}, ${t.id}, ${t.name}) on conflict do nothing`);
    // Overlapping memberships: each tag takes a different pseudo-random slice of the followers.
    await db.execute(sql`
      insert into sandbox_tag_members (appid, tag_id, openid)
      select appid, ${t.id}, openid from sandbox_followers
      where appid = ${appid} and (((seq::bigint * ${2654435761 % 1000003}) + ${t.id * 7919}) % 100) < ${t.pct}
      on conflict do nothing`);
  }
  // The testers are in the test group, so a tag send reaches someone who can look.
  await db.execute(sql`
    insert into sandbox_tag_members (appid, tag_id, openid)
    select appid, 110, openid from sandbox_followers where appid = ${appid} and wechat_id is not null
    on conflict do nothing`);
  // Statistics after the bulk load: without them the planner takes a million followers for a few
  // hundred rows (PGlite has no autovacuum to gather them; PostgreSQL's comes later).
  await db.execute(sql`analyze sandbox_followers, sandbox_tag_members`);
}

/**
 * Seed on demand: puts the sandbox back in its seeded state, deterministically — the same
 * followers (same OpenIDs), tags and WeChat IDs as a first start — and forgets every job, inbox,
 * clientmsgid and quota counter. Kept: the accounts themselves (credentials, callback URL, message
 * mode, fault settings: configuration, not seed data), access tokens (the console's cached tokens
 * keep working) and uploaded media (the console's media library refers to them).
 */
export async function reseedSandbox(db: DbOrTx, opts: SeedOptions = {}) {
  const n = opts.followers ?? env.sandboxFollowers;
  for (const table of [
    "sandbox_list_deliveries",
    "sandbox_job_exclusions",
    "sandbox_jobs",
    "sandbox_clientmsgids",
    "sandbox_counters",
    "sandbox_tag_members",
    "sandbox_tags",
    "sandbox_followers",
  ]) {
    await db.execute(sql.raw(`delete from ${table}`));
  }
  await db.execute(sql`update sandbox_apps set speed = 0`);
  await seedSandbox(db, opts);
  for (const a of sandboxCredentials()) await seedFollowers(db, a.appid, a.type === "service" ? n : Math.max(2, Math.floor(n / 5)));
}
