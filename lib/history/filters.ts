import { z } from "zod";
import { and, desc, asc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { AUDIENCE_KINDS, CAMPAIGN_STATES, MESSAGE_TYPES, campaigns } from "@/db/schema/campaigns";

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").filter((x): x is T[number] => (values as readonly string[]).includes(x)) : []));

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/** The history list's filters, as they live in the URL (so a view can be shared). */
export const historyFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  state: csv(CAMPAIGN_STATES),
  type: csv(MESSAGE_TYPES),
  audience: csv(AUDIENCE_KINDS),
  person: z.string().max(100).optional().catch(undefined),
  from: day,
  to: day,
  sort: z.enum(["newest", "oldest"]).optional().catch(undefined),
  /** keyset cursor: `${createdAtIso}|${id}` of the last row shown */
  after: z.string().max(100).optional().catch(undefined),
});
export type HistoryFilter = z.output<typeof historyFilterSchema>;

function escapeLike(s: string) {
  return s.replace(/[%_\\]/g, "\\$&");
}

/** Day boundaries in the account's zone: a "from" of 2026-11-01 in Shanghai starts at 16:00 UTC the day before. */
export function dayStart(d: string, timeZone: string): Date {
  const utc = new Date(`${d}T00:00:00Z`);
  const offset = zoneOffsetMs(utc, timeZone);
  return new Date(utc.getTime() - offset);
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - at.getTime();
}

export function parseCursor(after: string | undefined): { at: Date; id: string } | null {
  if (!after) return null;
  const [iso, id] = after.split("|");
  const at = new Date(iso ?? "");
  if (!id || Number.isNaN(at.getTime())) return null;
  return { at, id };
}

export function cursorOf(row: { createdAt: Date; id: string }) {
  return `${row.createdAt.toISOString()}|${row.id}`;
}

/**
 * Filter → WHERE and ORDER BY. Keyset pagination on (created_at, id), which the index
 * campaigns_account_created_idx serves, so page 1 000 costs what page 1 costs and rows inserted
 * meanwhile neither repeat nor disappear across pages.
 */
export function buildHistoryQuery(accountIds: string[] | null, f: HistoryFilter, timeZone = "Asia/Shanghai"): { where: SQL | undefined; orderBy: SQL[] } {
  const w: SQL[] = [];
  if (accountIds) w.push(accountIds.length === 1 ? eq(campaigns.accountId, accountIds[0]) : inArray(campaigns.accountId, accountIds));
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
  const cur = parseCursor(f.after);
  const oldest = f.sort === "oldest";
  if (cur) {
    w.push(
      oldest
        ? sql`(${campaigns.createdAt}, ${campaigns.id}) > (${cur.at.toISOString()}::timestamptz, ${cur.id})`
        : sql`(${campaigns.createdAt}, ${campaigns.id}) < (${cur.at.toISOString()}::timestamptz, ${cur.id})`,
    );
  }
  return {
    where: w.length ? and(...w) : undefined,
    orderBy: oldest ? [asc(campaigns.createdAt), asc(campaigns.id)] : [desc(campaigns.createdAt), desc(campaigns.id)],
  };
}

