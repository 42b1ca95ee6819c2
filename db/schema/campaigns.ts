import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";
import { wechatAccounts } from "./accounts";
import { user } from "./auth";

import { AUDIENCE_KINDS, BATCH_STATES, CAMPAIGN_STATES, MESSAGE_TYPES } from "../../lib/enums";
export { AUDIENCE_KINDS, BATCH_STATES, CAMPAIGN_STATES, MESSAGE_TYPES };
export type { AudienceKind, BatchState, CampaignState, MessageType } from "../../lib/enums";

/** What a campaign sends: the WeChat body for its msgtype, plus where it came from in qunfa. */
export type CampaignMessage =
  | { type: "mpnews"; mediaId: string | null; newsDraftId?: string | null; newsVersion?: number | null; titles?: string[] }
  | { type: "text"; content: string }
  | { type: "image"; mediaId: string; mediaItemId?: string | null }
  | { type: "voice"; mediaId: string; mediaItemId?: string | null }
  | { type: "mpvideo"; mediaId: string; title?: string; description?: string; mediaItemId?: string | null }
  | { type: "wxcard"; cardId: string };

export const campaigns = pgTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => wechatAccounts.id),
    name: text("name").notNull(),
    state: text("state", { enum: CAMPAIGN_STATES }).notNull().default("draft"),
    messageType: text("message_type", { enum: MESSAGE_TYPES }).notNull(),
    message: jsonb("message").$type<CampaignMessage>().notNull(),
    /** Bumped whenever the message changes; part of every clientmsgid. */
    messageVersion: integer("message_version").notNull().default(1),
    /** Searchable text: the campaign's article titles, or the start of a text message. */
    searchText: text("search_text").notNull().default(""),
    sendIgnoreReprint: smallint("send_ignore_reprint").notNull().default(0),
    audienceKind: text("audience_kind", { enum: AUDIENCE_KINDS }).notNull(),
    tagId: integer("tag_id"),
    tagName: text("tag_name"),
    audienceListId: text("audience_list_id"),
    audienceSize: integer("audience_size"),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    createdBy: text("created_by").references(() => user.id),
    approvalRequestedBy: text("approval_requested_by").references(() => user.id),
    approvedBy: text("approved_by").references(() => user.id),
    /**
     * sha256 of what was approved, scheduled by a publisher, or started (lib/campaigns/fingerprint.ts):
     * every start and resume compares the row with it and refuses to send anything else. Null while
     * nothing has been cleared to go.
     */
    approvedFingerprint: text("approved_fingerprint"),
    sentBy: text("sent_by").references(() => user.id),
    pausedReason: text("paused_reason"),
    lastError: text("last_error"),
    /** Batches that failed for good one after another (reset by a success and by pausing for it). */
    failuresInARow: integer("failures_in_a_row").notNull().default(0),
    totalCount: integer("total_count"),
    filterCount: integer("filter_count"),
    sentCount: integer("sent_count"),
    errorCount: integer("error_count"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("campaigns_account_created_idx").on(t.accountId, t.createdAt, t.id),
    // One per history sort (lib/history/filters.ts), each keyset (key, id); the expressions are
    // written exactly as the queries write them, so the planner walks the index in order.
    index("campaigns_account_sent_idx").on(t.accountId, sql`coalesce(${t.startedAt}, '1970-01-01 00:00:00+00'::timestamptz)`, t.id),
    index("campaigns_account_name_idx").on(t.accountId, t.name, t.id),
    index("campaigns_account_delivered_idx").on(t.accountId, sql`coalesce(${t.sentCount}, -1)`, t.id),
    // The admin page lists every account's campaigns: each sort again, without account_id.
    index("campaigns_created_idx").on(t.createdAt, t.id),
    index("campaigns_sent_idx").on(sql`coalesce(${t.startedAt}, '1970-01-01 00:00:00+00'::timestamptz)`, t.id),
    index("campaigns_name_idx").on(t.name, t.id),
    index("campaigns_delivered_idx").on(sql`coalesce(${t.sentCount}, -1)`, t.id),
    index("campaigns_account_state_idx").on(t.accountId, t.state),
    index("campaigns_scheduled_idx").on(t.state, t.scheduledAt),
  ],
);

/**
 * One WeChat request of a campaign, written before anything is sent. The clientmsgid is fixed at
 * creation and used for every attempt, so a retry can only ever be answered 45065 with the msg_id.
 */
export const campaignBatches = pgTable(
  "campaign_batches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    accountId: text("account_id").notNull(),
    seq: integer("seq").notNull(),
    kind: text("kind", { enum: ["sendall", "send"] }).notNull(),
    /** For `send`: the slice [listFrom, listFrom + recipientCount) of the audience list. */
    listFrom: integer("list_from"),
    recipientCount: integer("recipient_count"),
    clientMsgId: text("client_msg_id").notNull(),
    state: text("state", { enum: BATCH_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    /** host:pid of the process that last claimed it (diagnostics after crashes) */
    claimedBy: text("claimed_by"),
    msgId: text("msg_id"),
    msgDataId: text("msg_data_id"),
    errcode: integer("errcode"),
    errmsg: text("errmsg"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    /** WeChat's job status from message/mass/get: SENDING, SEND_SUCCESS, SEND_FAIL, DELETE */
    wechatStatus: text("wechat_status"),
    statusCheckedAt: timestamp("status_checked_at", { withTimezone: true }),
    /** From MASSSENDJOBFINISH */
    resultStatus: text("result_status"),
    totalCount: integer("total_count"),
    filterCount: integer("filter_count"),
    sentCount: integer("sent_count"),
    errorCount: integer("error_count"),
    copyright: jsonb("copyright").$type<Record<string, unknown> | null>(),
    articleUrls: jsonb("article_urls").$type<{ idx: number; url: string }[] | null>(),
    resultAt: timestamp("result_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** article_idx of each article deleted one by one (message/mass/delete with article_idx > 0) */
    deletedArticles: jsonb("deleted_articles").$type<number[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex("campaign_batches_seq_uq").on(t.campaignId, t.seq),
    uniqueIndex("campaign_batches_clientmsgid_uq").on(t.accountId, t.clientMsgId),
    index("campaign_batches_claim_idx").on(t.state, t.nextAttemptAt),
    index("campaign_batches_msgid_idx").on(t.accountId, t.msgId),
  ],
);

/** A named, reusable OpenID list (de-duplicated at import). */
export const audienceLists = pgTable(
  "audience_lists",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => wechatAccounts.id),
    name: text("name").notNull(),
    status: text("status", { enum: ["importing", "ready", "failed"] })
      .notNull()
      .default("importing"),
    linesRead: integer("lines_read").notNull().default(0),
    validCount: integer("valid_count").notNull().default(0),
    invalidCount: integer("invalid_count").notNull().default(0),
    duplicateCount: integer("duplicate_count").notNull().default(0),
    blankCount: integer("blank_count").notNull().default(0),
    invalidSamples: jsonb("invalid_samples").$type<{ line: number; value: string }[]>().notNull().default([]),
    error: text("error"),
    createdBy: text("created_by").references(() => user.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audience_lists_account_idx").on(t.accountId, t.createdAt)],
);

/**
 * The list's OpenIDs in order, in segments of up to 10 000 joined by newlines: a 5 000 000-OpenID
 * list is 500 rows, written in a few hundred inserts and read back a batch at a time. A batch is a
 * range [from, from + count) of this order, never a copy of the OpenIDs.
 */
export const audienceListChunks = pgTable(
  "audience_list_chunks",
  {
    listId: text("list_id")
      .notNull()
      .references(() => audienceLists.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    /** index of the first OpenID of this segment in the whole list */
    first: integer("first").notNull(),
    count: integer("count").notNull(),
    openids: text("openids").notNull(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.seq] })],
);

export const campaignApprovals = pgTable(
  "campaign_approvals",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    requestedBy: text("requested_by").references(() => user.id),
    /** what was asked: send now, or schedule at this time */
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    decidedBy: text("decided_by").references(() => user.id),
    decision: text("decision", { enum: ["approved", "rejected"] }),
    comment: text("comment"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [index("campaign_approvals_campaign_idx").on(t.campaignId)],
);

/** Previews sent, per account and day: WeChat allows 100 a day. */
export const previewLog = pgTable(
  "preview_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: text("account_id").notNull(),
    userId: text("user_id"),
    campaignId: text("campaign_id"),
    towxname: text("towxname"),
    touser: text("touser"),
    msgId: text("msg_id"),
    errcode: integer("errcode"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("preview_log_account_at_idx").on(t.accountId, t.at)],
);
