/**
 * Orders the history list can take (shared by the URL parser on the server and the filter bar).
 * Each is a keyset on (key, id) served by an index on (account_id, key, id) — see
 * db/schema/campaigns.ts — so every page costs what the first costs:
 * - newest / oldest: created_at
 * - sent: when sending started, latest first; never-sent campaigns (key 1970-01-01) last
 * - name: A→Z in the database's collation (the same collation compares the cursor)
 * - delivered: sent_count, most first; campaigns without a result (key −1) last
 */
export const HISTORY_SORTS = ["newest", "oldest", "sent", "name", "delivered"] as const;
export type HistorySort = (typeof HISTORY_SORTS)[number];
