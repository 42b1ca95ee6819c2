import { sql } from "drizzle-orm";
import { bigint, bigserial, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, integer } from "drizzle-orm/pg-core";

/**
 * Every accepted push, once: the unique key makes WeChat's retries and a second instance receiving
 * the same push collapse into one row (MASSSENDJOBFINISH: MsgID; messages: MsgId; other events:
 * FromUserName + CreateTime).
 */
export const callbackEvents = pgTable(
  "callback_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: text("account_id").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    msgType: text("msg_type").notNull(),
    event: text("event"),
    fromUser: text("from_user"),
    createTime: integer("create_time"),
    rawXml: text("raw_xml").notNull(),
    parsed: jsonb("parsed").$type<Record<string, unknown>>().notNull(),
    /** for MASSSENDJOBFINISH: the batch it matched, or null when sent from elsewhere */
    batchId: bigint("batch_id", { mode: "number" }),
    relayStatus: text("relay_status"),
    /**
     * MASSSENDJOBFINISH only: when its result reached the batch. Null while no batch has its MsgID
     * (a send from WeChat's own backend, or a push that beat the worker storing msg_id) or while
     * applying failed; such rows are applied later (lib/campaigns/results.ts, applyPendingFinishes).
     */
    appliedAt: timestamp("applied_at", { withTimezone: true }),
    /** the last error applying this result, for admins; cleared when it applies */
    applyError: text("apply_error"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("callback_events_dedupe_uq").on(t.accountId, t.dedupeKey),
    index("callback_events_account_at_idx").on(t.accountId, t.receivedAt),
    // The sweep that applies late or failed results reads only the unapplied mass results.
    index("callback_events_unapplied_idx")
      .on(t.accountId)
      .where(sql`${t.event} = 'MASSSENDJOBFINISH' and ${t.appliedAt} is null`),
  ],
);

/** Refused pushes are not events: only counted, and the last ones kept for admins to see why. */
export const callbackRefusals = pgTable(
  "callback_refusals",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: text("account_id"),
    reason: text("reason").notNull(),
    remote: text("remote"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("callback_refusals_account_at_idx").on(t.accountId, t.at)],
);

/**
 * Refusals counted for good (callback_refusals keeps only the last 1 000 rows per account):
 * one row per account and reason ("" for requests naming no known account).
 */
export const callbackRefusalCounts = pgTable(
  "callback_refusal_counts",
  {
    accountId: text("account_id").notNull(),
    reason: text("reason").notNull(),
    count: bigint("count", { mode: "number" }).notNull().default(0),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.reason] })],
);

/** Nonces seen in the replay window (5 minutes): a signed push is accepted once per nonce. */
export const callbackNonces = pgTable("callback_nonces", {
  /** accountId:timestamp:nonce */
  key: text("key").primaryKey(),
  eventKey: text("event_key").notNull(),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});
