import { z } from "zod";
import { and, desc, asc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { AUDIENCE_KINDS, CAMPAIGN_STATES, MESSAGE_TYPES, campaigns } from "@/db/schema/campaigns";
import { fromZonedInput, parseDayText } from "@/lib/i18n/time";

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").filter((x): x is T[number] => (values as readonly string[]).includes(x)) : []));

// A day as people type it (2026/12/3 too), kept as YYYY-MM-DD; what is no day is dropped here and
// named by refusedHistoryDays.
const day = z
  .string()
  .optional()
  .transform((v) => (v ? (parseDayText(v) ?? undefined) : undefined))
  .catch(undefined);

/**
 * The date filters the URL carries that are no calendar day (`?from=2020-13-45`): the list ignores
 * them and the page says so, naming the field and the value, instead of failing.
 */
export function refusedHistoryDays(sp: Record<string, string | string[] | undefined>): { field: "from" | "to"; value: string }[] {
  return (["from", "to"] as const).flatMap((field) => {
    const v = sp[field];
    return typeof v === "string" && v !== "" && parseDayText(v) === null ? [{ field, value: v.slice(0, 40) }] : [];
  });
}

import { HISTORY_SORTS, type HistorySort } from "./sorts";

export { HISTORY_SORTS, type HistorySort };

/** The history list's filters, as they live in the URL (so a view can be shared). */
export const historyFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  state: csv(CAMPAIGN_STATES),
  type: csv(MESSAGE_TYPES),
  audience: csv(AUDIENCE_KINDS),
  person: z.string().max(100).optional().catch(undefined),
  from: day,
  to: day,
  sort: z.enum(HISTORY_SORTS).optional().catch(undefined),
  /** admin page only: restrict to these accounts */
  account: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").filter((x) => /^[A-Za-z0-9_-]{1,64}$/.test(x)) : [])),
  /** keyset cursor: `${sortKey}|${id}` of the last row shown */
  after: z.string().max(400).optional().catch(undefined),
});
export type HistoryFilter = z.output<typeof historyFilterSchema>;

function escapeLike(s: string) {
  return s.replace(/[%_\\]/g, "\\$&");
}

/**
 * Day boundaries in the account's zone: a "from" of 2026-11-01 in Shanghai starts at 16:00 UTC the
 * day before. The zone's arithmetic is lib/i18n/time.ts's (midnight on a daylight-saving day included).
 */
export function dayStart(d: string, timeZone: string): Date {
  return fromZonedInput(`${d}T00:00`, timeZone) ?? new Date(`${d}T00:00:00Z`);
}

/** A never-sent campaign's key for the "sent" sort: before any real send, so it sorts last. */
const NEVER_SENT = new Date(0);

interface SortSpec {
  /** the key expression, written exactly as in the index so the planner uses it */
  key: SQL;
  dir: "asc" | "desc";
  /** how the cursor's key is typed in SQL */
  cast: "timestamptz" | "text" | "int";
  keyOf(row: SortableRow): string;
}

export interface SortableRow {
  id: string;
  createdAt: Date;
  startedAt: Date | null;
  name: string;
  sentCount: number | null;
}

const SORT_SPECS: Record<HistorySort, SortSpec> = {
  newest: { key: sql`${campaigns.createdAt}`, dir: "desc", cast: "timestamptz", keyOf: (r) => r.createdAt.toISOString() },
  oldest: { key: sql`${campaigns.createdAt}`, dir: "asc", cast: "timestamptz", keyOf: (r) => r.createdAt.toISOString() },
  sent: { key: sentKey(), dir: "desc", cast: "timestamptz", keyOf: (r) => (r.startedAt ?? NEVER_SENT).toISOString() },
  name: { key: sql`${campaigns.name}`, dir: "asc", cast: "text", keyOf: (r) => r.name },
  delivered: { key: deliveredKey(), dir: "desc", cast: "int", keyOf: (r) => String(r.sentCount ?? -1) },
};

/** Written as in the index definitions in db/schema/campaigns.ts (the expressions must match). */
function sentKey() {
  return sql`coalesce(${campaigns.startedAt}, '1970-01-01 00:00:00+00'::timestamptz)`;
}
function deliveredKey() {
  return sql`coalesce(${campaigns.sentCount}, -1)`;
}

/**
 * `${key}|${id}`: ids never hold "|", so the id is what follows the last one and the key (a name
 * may hold anything) is everything before it.
 */
export function parseCursor(after: string | undefined, sort: HistorySort = "newest"): { key: string; id: string } | null {
  if (!after) return null;
  const cut = after.lastIndexOf("|");
  if (cut < 0) return null;
  const key = after.slice(0, cut);
  const id = after.slice(cut + 1);
  if (!id) return null;
  const cast = SORT_SPECS[sort].cast;
  if (cast === "timestamptz" && Number.isNaN(new Date(key).getTime())) return null;
  if (cast === "int" && !/^-?\d{1,10}$/.test(key)) return null;
  return { key: cast === "timestamptz" ? new Date(key).toISOString() : key, id };
}

export function cursorOf(row: SortableRow, sort: HistorySort = "newest") {
  return `${SORT_SPECS[sort].keyOf(row)}|${row.id}`;
}

/**
 * Filter → WHERE and ORDER BY. Keyset pagination on (sort key, id), which an index on
 * (account_id, key, id) serves, so page 1 000 costs what page 1 costs and rows inserted
 * meanwhile neither repeat nor disappear across pages.
 */
export function buildHistoryQuery(accountIds: string[] | null, f: HistoryFilter, timeZone = "Asia/Shanghai"): { where: SQL | undefined; orderBy: SQL[] } {
  const w: SQL[] = [];
  // The admin page's account filter narrows "all accounts"; on an account's page it cannot widen it.
  const scope = accountIds ?? (f.account.length ? f.account : null);
  if (scope) w.push(scope.length === 1 ? eq(campaigns.accountId, scope[0]) : inArray(campaigns.accountId, scope));
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    w.push(or(ilike(campaigns.name, like), ilike(campaigns.searchText, like))!);
  }
  if (f.state.length) w.push(inArray(campaigns.state, f.state));
  if (f.type.length) w.push(inArray(campaigns.messageType, f.type));
  if (f.audience.length) w.push(inArray(campaigns.audienceKind, f.audience));
  if (f.person) w.push(or(eq(campaigns.createdBy, f.person), eq(campaigns.sentBy, f.person), eq(campaigns.approvedBy, f.person))!);
  if (f.from) w.push(gte(campaigns.createdAt, dayStart(f.from, timeZone)));
  if (f.to) {
    const end = dayStart(f.to, timeZone);
    w.push(lt(campaigns.createdAt, new Date(end.getTime() + 24 * 3600 * 1000)));
  }
  const sort = f.sort ?? "newest";
  const spec = SORT_SPECS[sort];
  const cur = parseCursor(f.after, sort);
  if (cur) {
    const key = spec.cast === "timestamptz" ? sql`${cur.key}::timestamptz` : spec.cast === "int" ? sql`${Number(cur.key)}::int` : sql`${cur.key}`;
    w.push(spec.dir === "asc" ? sql`(${spec.key}, ${campaigns.id}) > (${key}, ${cur.id})` : sql`(${spec.key}, ${campaigns.id}) < (${key}, ${cur.id})`);
  }
  const by = spec.dir === "asc" ? asc : desc;
  return {
    where: w.length ? and(...w) : undefined,
    orderBy: [by(spec.key), by(campaigns.id)],
  };
}
