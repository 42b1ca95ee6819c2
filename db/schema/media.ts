import { customType, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { wechatAccounts } from "./accounts";
import { user } from "./auth";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

import { MEDIA_KINDS, MEDIA_STORAGES } from "../../lib/enums";
export { MEDIA_KINDS, MEDIA_STORAGES };
export type { MediaKind, MediaStorage } from "../../lib/enums";

/** What qunfa did to a file so WeChat would take it (shown to the person). */
export interface MediaConversion {
  fromMime: string;
  fromSize: number;
  fromWidth?: number | null;
  fromHeight?: number | null;
  /** e.g. "png→jpg", "resize 900", "quality 72" */
  steps: string[];
}

/**
 * One file uploaded to one account's WeChat. The bytes sent are kept, so the same file can be
 * uploaded again (to another account, or after a temporary media_id expired).
 */
export const mediaItems = pgTable(
  "media_items",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => wechatAccounts.id),
    kind: text("kind", { enum: MEDIA_KINDS }).notNull(),
    storage: text("storage", { enum: MEDIA_STORAGES }).notNull().default("permanent"),
    mediaId: text("media_id"),
    url: text("url"),
    filename: text("filename").notNull(),
    mime: text("mime").notNull(),
    size: integer("size").notNull(),
    width: integer("width"),
    height: integer("height"),
    durationMs: integer("duration_ms"),
    /** Permanent video material: WeChat requires a title and an introduction. */
    title: text("title"),
    description: text("description"),
    conversion: jsonb("conversion").$type<MediaConversion | null>(),
    /** For in-article images taken from elsewhere (a link in pasted content): where they came from. */
    sourceUrl: text("source_url"),
    sha256: text("sha256").notNull(),
    bytes: bytea("bytes").notNull(),
    /** A small JPEG for the library list and pickers; null for voice and video. */
    preview: bytea("preview"),
    /** Temporary media: 3 days after WeChat's created_at. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    uploadedBy: text("uploaded_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("media_items_account_created_idx").on(t.accountId, t.createdAt),
    index("media_items_account_kind_idx").on(t.accountId, t.kind),
    index("media_items_account_source_idx").on(t.accountId, t.sourceUrl),
  ],
);

/** media/uploadvideo: a video's media_id with title and description → the mass-send (mpvideo) media_id. */
export const mediaMassVideos = pgTable(
  "media_mass_videos",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => wechatAccounts.id),
    mediaItemId: text("media_item_id")
      .notNull()
      .references(() => mediaItems.id, { onDelete: "cascade" }),
    massMediaId: text("mass_media_id").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("media_mass_videos_item_idx").on(t.mediaItemId), index("media_mass_videos_account_idx").on(t.accountId, t.createdAt)],
);
