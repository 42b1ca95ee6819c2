import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, pgView, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** The sandbox's own simulated WeChat: its state never mixes with the console's tables. */
export interface SandboxSettings {
  perMinute?: number;
  reviewWords?: Record<string, string>;
  reprintMarker?: string;
  blockedReprintMarker?: string;
  uploadnewsAsDraft?: boolean;
  /** Regexes: a content_source_url matching one is another account's article (a reprint). */
  reprintSourcePatterns?: string[];
  /** Regexes: a reprint whose source URL matches one may not be reprinted at all (CheckState 3). */
  blockedReprintSourcePatterns?: string[];
  faults?: {
    errorRate?: number;
    latencyMs?: number;
    http5xxRate?: number;
    dropBeforeRate?: number;
    dropAfterRate?: number;
    callbackFailRate?: number;
    seed?: number;
  };
}

export const sandboxApps = pgTable("sandbox_apps", {
  appid: text("appid").primaryKey(),
  secret: text("secret").notNull(),
  name: text("name").notNull(),
  ghId: text("gh_id").notNull(),
  type: text("type", { enum: ["service", "subscription"] }).notNull(),
  verified: boolean("verified").notNull().default(true),
  callbackToken: text("callback_token").notNull(),
  aesKey: text("aes_key").notNull(),
  messageMode: text("message_mode", { enum: ["plaintext", "compatible", "safe"] })
    .notNull()
    .default("safe"),
  callbackUrl: text("callback_url"),
  speed: integer("speed").notNull().default(0),
  settings: jsonb("settings").$type<SandboxSettings>().notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const sandboxTokens = pgTable(
  "sandbox_tokens",
  {
    token: text("token").primaryKey(),
    appid: text("appid").notNull(),
    kind: text("kind", { enum: ["classic", "stable"] }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** set when a newer classic token was issued: the old one works 5 more minutes */
    supersededAt: timestamp("superseded_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sandbox_tokens_app_idx").on(t.appid, t.kind, t.createdAt)],
);

export const sandboxFollowers = pgTable(
  "sandbox_followers",
  {
    appid: text("appid").notNull(),
    openid: text("openid").notNull(),
    seq: integer("seq").notNull(),
    wechatId: text("wechat_id"),
    nickname: text("nickname").notNull(),
  },
  (t) => [primaryKey({ columns: [t.appid, t.openid] }), index("sandbox_followers_wxid_idx").on(t.appid, t.wechatId)],
);

export const sandboxTags = pgTable("sandbox_tags", { appid: text("appid").notNull(), id: integer("id").notNull(), name: text("name").notNull() }, (t) => [
  primaryKey({ columns: [t.appid, t.id] }),
]);

export const sandboxTagMembers = pgTable(
  "sandbox_tag_members",
  { appid: text("appid").notNull(), tagId: integer("tag_id").notNull(), openid: text("openid").notNull() },
  (t) => [primaryKey({ columns: [t.appid, t.tagId, t.openid] })],
);

export const sandboxMedia = pgTable(
  "sandbox_media",
  {
    id: text("id").primaryKey(),
    appid: text("appid").notNull(),
    /** image, voice, video, thumb, news, mpvideo (from uploadvideo), inarticle (uploadimg) */
    kind: text("kind").notNull(),
    permanent: boolean("permanent").notNull().default(false),
    mime: text("mime"),
    size: integer("size").notNull().default(0),
    bytes: bytea("bytes"),
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sandbox_media_app_idx").on(t.appid, t.kind)],
);

export const sandboxJobs = pgTable(
  "sandbox_jobs",
  {
    msgId: bigserial("msg_id", { mode: "number" }).primaryKey(),
    appid: text("appid").notNull(),
    msgDataId: bigint("msg_data_id", { mode: "number" }),
    msgtype: text("msgtype").notNull(),
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    /** {all:true} | {tagId} | {openids:[...]} | {preview: openid} */
    target: jsonb("target").$type<Record<string, unknown>>().notNull(),
    isToAll: boolean("is_to_all").notNull().default(false),
    /**
     * all | tag: an audience-wide job — its deliveries are not stored row by row but derived from
     * the audience (followers, or the tag's members) minus sandbox_job_exclusions (see the
     * sandbox_deliveries view); list | preview: one sandbox_list_deliveries row per recipient.
     */
    audienceKind: text("audience_kind", { enum: ["all", "tag", "list", "preview"] }),
    audienceTagId: integer("audience_tag_id"),
    preview: boolean("preview").notNull().default(false),
    sendIgnoreReprint: integer("send_ignore_reprint").notNull().default(0),
    clientMsgId: text("client_msg_id"),
    status: text("status").notNull().default("SENDING"),
    resultStatus: text("result_status"),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    totalCount: integer("total_count"),
    filterCount: integer("filter_count"),
    sentCount: integer("sent_count"),
    errorCount: integer("error_count"),
    callbackState: text("callback_state"),
    callbackAttempts: integer("callback_attempts").notNull().default(0),
    /** When the next MASSSENDJOBFINISH attempt is due (null: none); also the lease of one in flight. */
    callbackDueAt: timestamp("callback_due_at", { withTimezone: true }),
    callbackLog: jsonb("callback_log").$type<{ at: string; ok: boolean; status?: number; error?: string }[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("sandbox_jobs_due_idx").on(t.status, t.dueAt),
    index("sandbox_jobs_app_idx").on(t.appid, t.createdAt),
    index("sandbox_jobs_push_idx").on(t.callbackDueAt),
    index("sandbox_jobs_audience_idx").on(t.appid, t.audienceKind, t.finishedAt),
  ],
);

/** Deliveries of OpenID-list sends and previews: one row per recipient. */
export const sandboxListDeliveries = pgTable(
  "sandbox_list_deliveries",
  {
    msgId: bigint("msg_id", { mode: "number" }).notNull(),
    appid: text("appid").notNull(),
    openid: text("openid").notNull(),
    preview: boolean("preview").notNull().default(false),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.msgId, t.openid] }), index("sandbox_list_deliveries_inbox_idx").on(t.appid, t.openid, t.at)],
);

/**
 * Followers in an audience-wide job's audience who did not receive it (the 4-a-month rule). Only
 * the primary key: the month's worst job writes half a million rows, and every further text index
 * is maintained row by row; the reads go by (msg_id, openid) or by msg_id.
 */
export const sandboxJobExclusions = pgTable(
  "sandbox_job_exclusions",
  { msgId: bigint("msg_id", { mode: "number" }).notNull(), openid: text("openid").notNull() },
  (t) => [primaryKey({ columns: [t.msgId, t.openid] })],
);

/**
 * Every delivery, one row per (message, recipient): the list/preview rows as stored, plus the
 * recipients of audience-wide jobs (is_to_all, tag) derived from their audience minus exclusions.
 * A 1 000 000-follower is_to_all job thus writes no row per follower, yet "which followers got
 * msg X" and "how many did follower Y get" read as before. Only successfully sent jobs deliver.
 */
export const sandboxDeliveries = pgView("sandbox_deliveries", {
  msgId: bigint("msg_id", { mode: "number" }).notNull(),
  appid: text("appid").notNull(),
  openid: text("openid").notNull(),
  preview: boolean("preview").notNull(),
  at: timestamp("at", { withTimezone: true }).notNull(),
}).as(sql`
  select d.msg_id, d.appid, d.openid, d.preview, d.at from sandbox_list_deliveries d
  union all
  select j.msg_id, j.appid, f.openid, false, j.finished_at
  from sandbox_jobs j join sandbox_followers f on f.appid = j.appid
  where j.audience_kind = 'all' and j.result_status = 'send success'
    and not exists (select 1 from sandbox_job_exclusions x where x.msg_id = j.msg_id and x.openid = f.openid)
  union all
  select j.msg_id, j.appid, m.openid, false, j.finished_at
  from sandbox_jobs j join sandbox_tag_members m on m.appid = j.appid and m.tag_id = j.audience_tag_id
  where j.audience_kind = 'tag' and j.result_status = 'send success'
    and not exists (select 1 from sandbox_job_exclusions x where x.msg_id = j.msg_id and x.openid = m.openid)`);

export const sandboxClientMsgIds = pgTable(
  "sandbox_clientmsgids",
  {
    appid: text("appid").notNull(),
    clientMsgId: text("client_msg_id").notNull(),
    msgId: bigint("msg_id", { mode: "number" }),
    firstAt: timestamp("first_at", { withTimezone: true }).notNull().defaultNow(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.appid, t.clientMsgId] })],
);

/** Counters by window: api minute (rate limit), previews a day, sends a day, is_to_all a month. */
export const sandboxCounters = pgTable(
  "sandbox_counters",
  { appid: text("appid").notNull(), key: text("key").notNull(), count: integer("count").notNull().default(0) },
  (t) => [primaryKey({ columns: [t.appid, t.key] })],
);
