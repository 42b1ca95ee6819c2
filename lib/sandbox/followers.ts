import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sandboxFollowers, sandboxTagMembers, sandboxTags } from "@/db/schema";

/** One OpenID-list send's most (WeChat's message/mass/send takes 2–10 000 OpenIDs). */
export const SAMPLE_MAX = 10_000;

/** A sandbox account's tags with their member counts, for the /sandbox page's tag picker. */
export async function sandboxTagList(db: Db, appid: string): Promise<{ id: number; name: string; count: number }[]> {
  const r = (await db.execute(
    sql`select t.id, t.name, (select count(*)::int from sandbox_tag_members m where m.appid = t.appid and m.tag_id = t.id) as count
        from sandbox_tags t where t.appid = ${appid} order by t.id`,
  )) as unknown as { rows: { id: number; name: string; count: number }[] };
  return r.rows.map((t) => ({ id: Number(t.id), name: t.name, count: Number(t.count) }));
}

/**
 * A page of a tag's followers (OpenID, nickname, WeChat ID when the follower is a tester), in
 * OpenID order after `after` (keyset paging, as user/tag/get pages by next_openid). `next` is the
 * cursor of the following page, null on the last one.
 */
export async function sandboxTagFollowers(db: Db, appid: string, tagId: number, after = "", limit = 50) {
  const rows = await db
    .select({ openid: sandboxTagMembers.openid, nickname: sandboxFollowers.nickname, wechatId: sandboxFollowers.wechatId })
    .from(sandboxTagMembers)
    .innerJoin(sandboxFollowers, and(eq(sandboxFollowers.appid, sandboxTagMembers.appid), eq(sandboxFollowers.openid, sandboxTagMembers.openid)))
    .where(and(eq(sandboxTagMembers.appid, appid), eq(sandboxTagMembers.tagId, tagId), gt(sandboxTagMembers.openid, after)))
    .orderBy(asc(sandboxTagMembers.openid))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1].openid : null };
}

/** A tag's name, or null when the account has no such tag. */
export async function sandboxTagName(db: Db, appid: string, tagId: number): Promise<string | null> {
  const [t] = await db
    .select({ name: sandboxTags.name })
    .from(sandboxTags)
    .where(and(eq(sandboxTags.appid, appid), eq(sandboxTags.id, tagId)));
  return t?.name ?? null;
}

/** The first `limit` OpenIDs of a tag (OpenID order), for a sample OpenID list. */
export async function sandboxTagOpenIds(db: Db, appid: string, tagId: number, limit = SAMPLE_MAX): Promise<string[]> {
  const rows = await db
    .select({ openid: sandboxTagMembers.openid })
    .from(sandboxTagMembers)
    .where(and(eq(sandboxTagMembers.appid, appid), eq(sandboxTagMembers.tagId, tagId)))
    .orderBy(asc(sandboxTagMembers.openid))
    .limit(Math.max(1, Math.min(limit, SAMPLE_MAX)));
  return rows.map((r) => r.openid);
}
