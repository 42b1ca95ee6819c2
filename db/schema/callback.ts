import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, integer } from "drizzle-orm/pg-core";

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
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("callback_events_dedupe_uq").on(t.accountId, t.dedupeKey), index("callback_events_account_at_idx").on(t.accountId, t.receivedAt)],
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

/** Nonces seen in the replay window (5 minutes): a signed push is accepted once per nonce. */
export const callbackNonces = pgTable("callback_nonces", {
  /** accountId:timestamp:nonce */
  key: text("key").primaryKey(),
  eventKey: text("event_key").notNull(),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});
