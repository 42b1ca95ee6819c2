import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { audienceLists, campaigns, user, wechatAccounts } from "@/db/schema";
import { audienceLabel } from "@/lib/audiences/kinds";
import { buildHistoryQuery, cursorOf, type HistoryFilter } from "./filters";

const creator = alias(user, "creator");
const approver = alias(user, "approver");
const sender = alias(user, "sender");

export interface HistoryRow {
  id: string;
  accountId: string;
  accountName: string;
  /** the account's time zone: each row's times are shown in it */
  accountTimeZone: string;
  name: string;
  state: string;
  messageType: string;
  title: string;
  audienceKind: string;
  audienceLabel: string | null;
  audienceSize: number | null;
  createdBy: string | null;
  approvedBy: string | null;
  sentBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  scheduledAt: Date | null;
  requests: number;
  totalCount: number | null;
  filterCount: number | null;
  sentCount: number | null;
  errorCount: number | null;
}

/** One page of the history list (limit + 1 fetched to know whether there is a next page). */
export async function listHistory(db: Db, accountIds: string[] | null, f: HistoryFilter, limit = 50, timeZone?: string) {
  const { where, orderBy } = buildHistoryQuery(accountIds, f, timeZone);
  // The page's ids first (filter, order, limit on campaigns alone, which an index serves), then the
  // joins and the per-row request count for those 51 rows only: otherwise the planner may compute
  // the count for every matching campaign before it sorts (seconds at 100 000 campaigns).
  const keyset = db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(where)
    .orderBy(...orderBy)
    .limit(limit + 1)
    .as("keyset_page");
  const rows = await db
    .select({
      id: campaigns.id,
      accountId: campaigns.accountId,
      accountName: wechatAccounts.name,
      accountTimeZone: wechatAccounts.timezone,
      name: campaigns.name,
      state: campaigns.state,
      messageType: campaigns.messageType,
      searchText: campaigns.searchText,
      // A news campaign keeps its titles in the message; the list shows the first.
      firstTitle: sql<string | null>`${campaigns.message}->'titles'->>0`,
      audienceKind: campaigns.audienceKind,
      tagName: campaigns.tagName,
      listName: audienceLists.name,
      audienceSize: campaigns.audienceSize,
      createdBy: creator.name,
      approvedBy: approver.name,
      sentBy: sender.name,
      createdAt: campaigns.createdAt,
      startedAt: campaigns.startedAt,
      scheduledAt: campaigns.scheduledAt,
      requests: sql<number>`(select count(*)::int from campaign_batches b where b.campaign_id = ${campaigns.id})`,
      totalCount: campaigns.totalCount,
      filterCount: campaigns.filterCount,
      sentCount: campaigns.sentCount,
      errorCount: campaigns.errorCount,
    })
    .from(campaigns)
    .innerJoin(keyset, eq(keyset.id, campaigns.id))
    .innerJoin(wechatAccounts, eq(wechatAccounts.id, campaigns.accountId))
    .leftJoin(audienceLists, eq(audienceLists.id, campaigns.audienceListId))
    .leftJoin(creator, eq(creator.id, campaigns.createdBy))
    .leftJoin(approver, eq(approver.id, campaigns.approvedBy))
    .leftJoin(sender, eq(sender.id, campaigns.sentBy))
    .orderBy(...orderBy);
  const page: HistoryRow[] = rows.slice(0, limit).map((r) => ({
    id: r.id,
    accountId: r.accountId,
    accountName: r.accountName,
    accountTimeZone: r.accountTimeZone,
    name: r.name,
    state: r.state,
    messageType: r.messageType,
    title: r.firstTitle ?? r.searchText.split("\n")[0] ?? "",
    audienceKind: r.audienceKind,
    audienceLabel: audienceLabel(r.audienceKind, r),
    audienceSize: r.audienceSize,
    createdBy: r.createdBy,
    approvedBy: r.approvedBy,
    sentBy: r.sentBy,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    scheduledAt: r.scheduledAt,
    requests: r.requests,
    totalCount: r.totalCount,
    filterCount: r.filterCount,
    sentCount: r.sentCount,
    errorCount: r.errorCount,
  }));
  const next = rows.length > limit ? cursorOf(page[page.length - 1], f.sort ?? "newest") : null;
  return { rows: page, next };
}

/**
 * The "person" filter's choices: the console's members (a handful to a few hundred), not a scan of
 * the campaigns. Finding who acted in these accounts costs a pass over their campaigns (the planner
 * cannot probe an index per person when one person made most of them: ~200 ms at 100 000
 * campaigns on PGlite, see bench/README.md); a member who did nothing there simply matches nothing.
 */
export async function historyPeople(db: Db) {
  return db.select({ id: user.id, name: user.name }).from(user).orderBy(user.name, user.id);
}
