import { and, count, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaigns, previewLog } from "@/db/schema";

const SENT_STATES = ["sending", "paused", "submitted", "finished"] as const;

/** Start of today and of this month in a time zone, as instants. */
export function periodStarts(timeZone: string, now = new Date()) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now); // YYYY-MM-DD
  const offsetMin = (() => {
    const local = new Date(now.toLocaleString("en-US", { timeZone }));
    const utc = new Date(now.toLocaleString("en-US", { timeZone: "UTC" }));
    return Math.round((local.getTime() - utc.getTime()) / 60000);
  })();
  const toInstant = (ymd: string) => new Date(Date.parse(`${ymd}T00:00:00Z`) - offsetMin * 60000);
  return { day: toInstant(parts), month: toInstant(parts.slice(0, 8) + "01") };
}

export const PREVIEWS_PER_DAY = 100;

/**
 * Previews WeChat accepted today for the account (its day, in the account's time zone). A refused
 * preview is not counted: WeChat counts the previews it sends.
 */
export async function previewsToday(db: Db, account: { id: string; timezone: string }): Promise<{ n: number }> {
  const { day } = periodStarts(account.timezone);
  const [r] = await db
    .select({ n: count() })
    .from(previewLog)
    .where(and(eq(previewLog.accountId, account.id), gte(previewLog.at, day), sql`(${previewLog.errcode} is null or ${previewLog.errcode} = 0)`));
  return r;
}

/**
 * Recipients of an audience estimated to have had their 4 mass messages this month already (a
 * service account's followers get at most 4 a month; WeChat filters the rest out, FilterCount).
 * `min` is what qunfa's own submitted batches prove, `max` adds what they make possible; `allMin`
 * / `allMax` say the bound is the whole audience (whose size may be unknown, e.g. everyone).
 */
export interface CappedEstimate {
  min: number;
  max: number;
  allMin: boolean;
  allMax: boolean;
  /** this month's submitted sends qunfa knows of, by audience */
  sends: { toAll: number; sameTag: number; otherTags: number; lists: number };
}

export interface QuotaSummary {
  accountType: "service" | "subscription";
  sendsToday: number;
  subscriptionSendLeft: boolean;
  toAllThisMonth: number;
  toAllLeft: number;
  previewsToday: number;
  previewsLeft: number;
  /** recipients of this audience estimated to have had 4 mass messages this month already (upper bound) */
  estimatedCapped: number | null;
  capped: CappedEstimate | null;
}

export interface QuotaAudience {
  kind: "all" | "tag" | "list";
  tagId?: number | null;
  listId?: string | null;
  size?: number | null;
  /** the campaign being looked at: its own batches do not count */
  campaignId?: string | null;
}

const MONTHLY = 4;

/**
 * How many OpenIDs got at least `a` (resp. `b`) of this month's list sends, among the OpenIDs of
 * list `target` (or among all, when null). One set-based query: the list batches submitted this
 * month are expanded to their OpenIDs (a batch is a range of its list's stored order, so only the
 * chunks it overlaps are read) and counted per OpenID in one aggregate. The target's OpenIDs join
 * that aggregate as rows with no hit rather than through `in (…)`: the planner cannot see how many
 * rows an unnest gives and would pick a nested-loop semi join (minutes for 10 000 × 10 000).
 */
async function listSendCounts(
  db: Db,
  accountId: string,
  month: Date,
  a: number,
  b: number,
  target: string | null,
  exclude: string | null,
): Promise<{ a: number; b: number }> {
  const r = (await db.execute(sql`
    with sent as (
      select c.audience_list_id as list_id, bt.list_from as f, bt.list_from + bt.recipient_count as t
      from campaign_batches bt join campaigns c on c.id = bt.campaign_id
      where bt.account_id = ${accountId} and bt.kind = 'send' and bt.msg_id is not null
        and bt.submitted_at >= ${month.toISOString()}::timestamptz and bt.campaign_id <> ${exclude ?? ""}
    ),
    got as (
      select o.openid, 1 as hit
      from sent s
      join audience_list_chunks k on k.list_id = s.list_id and k.first < s.t and k.first + k.count > s.f
      cross join lateral unnest(string_to_array(k.openids, E'\n')) with ordinality as o(openid, n)
      where k.first + o.n - 1 >= s.f and k.first + o.n - 1 < s.t
      ${target ? sql`union all select unnest(string_to_array(openids, E'\n')), 0 from audience_list_chunks where list_id = ${target}` : sql``}
    ),
    counts as (
      select openid, sum(hit) as n from got group by openid
      having sum(hit) >= ${Math.min(a, b)} ${target ? sql`and min(hit) = 0` : sql``}
    )
    select count(*) filter (where n >= ${a})::int as a, count(*) filter (where n >= ${b})::int as b from counts
  `)) as unknown as { rows: { a: number; b: number }[] };
  return { a: Number(r.rows[0]?.a ?? 0), b: Number(r.rows[0]?.b ?? 0) };
}

/**
 * The 4-a-month estimate from qunfa's own submitted batches of this calendar month (the account's
 * time zone), per recipient:
 * - a send to everyone reached every follower: it counts for every recipient (certain);
 * - a send to the audience's own tag reached every member of it (certain);
 * - list sends: qunfa knows each OpenID it sent to, so for an OpenID-list audience (and for
 *   everyone) they are counted per OpenID, exactly (certain); for a tag audience qunfa does not
 *   know which of those OpenIDs are in the tag, so they only raise the upper bound;
 * - sends to other tags: qunfa knows the tag, not its members (tags/get gives counts only), so they
 *   count for the upper bound only, as if every recipient were in every such tag.
 * Approximate beyond that: the web backend's sends and other tools' are invisible; a recipient
 * counted for a send may have been filtered then, or have unfollowed since; deleted messages count
 * (they were received). The per-OpenID query runs only when list sends could reach the threshold.
 */
export async function estimateCapped(db: Db, account: { id: string; timezone: string }, audience: QuotaAudience, now = new Date()): Promise<CappedEstimate> {
  const { month } = periodStarts(account.timezone, now);
  const exclude = audience.campaignId ?? null;
  const r = (await db.execute(sql`
    select c.audience_kind as kind, c.tag_id as tag_id, count(distinct bt.campaign_id)::int as n
    from campaign_batches bt join campaigns c on c.id = bt.campaign_id
    where bt.account_id = ${account.id} and bt.msg_id is not null
      and bt.submitted_at >= ${month.toISOString()}::timestamptz and bt.campaign_id <> ${exclude ?? ""}
    group by 1, 2
  `)) as unknown as { rows: { kind: string; tag_id: number | null; n: number }[] };
  const sends = { toAll: 0, sameTag: 0, otherTags: 0, lists: 0 };
  for (const x of r.rows) {
    const n = Number(x.n);
    if (x.kind === "all") sends.toAll += n;
    else if (x.kind === "list") sends.lists += n;
    else if (audience.kind === "tag" && x.tag_id !== null && Number(x.tag_id) === audience.tagId) sends.sameTag += n;
    else sends.otherTags += n;
  }
  const size = audience.size ?? 0;
  const base = sends.toAll + sends.sameTag;
  const needMin = MONTHLY - base;
  const needMax = MONTHLY - base - sends.otherTags;
  const allMin = needMin <= 0;
  const allMax = needMax <= 0;
  let min = allMin ? size : 0;
  let max = allMax ? size : 0;
  const wantMin = !allMin && audience.kind !== "tag" && sends.lists >= needMin;
  const wantMax = !allMax && sends.lists >= needMax;
  if (wantMin || wantMax) {
    const target = audience.kind === "list" ? (audience.listId ?? null) : null;
    const c = await listSendCounts(db, account.id, month, wantMin ? needMin : needMax, needMax, target, exclude);
    if (wantMin) min = c.a;
    if (wantMax) max = c.b;
    if (size) {
      min = Math.min(min, size);
      max = Math.min(max, size);
    }
  }
  return { min, max: Math.max(min, max), allMin, allMax, sends };
}

/**
 * What remains of WeChat's quotas, from qunfa's own history (WeChat's 「高级群发接口」): a subscription account
 * sends once a day; a service account's followers each receive at most 4 a month, and is_to_all
 * sends count against 4 a month (the web backend's sends count too and are invisible here).
 */
export async function quotaSummary(
  db: Db,
  account: { id: string; type: "service" | "subscription"; timezone: string },
  audience?: QuotaAudience,
): Promise<QuotaSummary> {
  const { day, month } = periodStarts(account.timezone);
  const sent = and(eq(campaigns.accountId, account.id), inArray(campaigns.state, [...SENT_STATES]));
  const [[today], [toAll], previews] = await Promise.all([
    db
      .select({ n: count() })
      .from(campaigns)
      .where(and(sent, gte(campaigns.startedAt, day))),
    db
      .select({ n: count() })
      .from(campaigns)
      .where(and(sent, eq(campaigns.audienceKind, "all"), gte(campaigns.startedAt, month))),
    previewsToday(db, account),
  ]);
  const capped = account.type === "service" && audience ? await estimateCapped(db, account, audience) : null;
  return {
    accountType: account.type,
    sendsToday: today.n,
    subscriptionSendLeft: today.n < 1,
    toAllThisMonth: toAll.n,
    toAllLeft: Math.max(0, (account.type === "service" ? 4 : 1) - (account.type === "service" ? toAll.n : today.n)),
    previewsToday: previews.n,
    previewsLeft: Math.max(0, PREVIEWS_PER_DAY - previews.n),
    estimatedCapped: capped ? capped.max : null,
    capped,
  };
}
