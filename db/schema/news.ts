import { index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { wechatAccounts } from "./accounts";
import { user } from "./auth";

/** One article of a news (图文) draft, as the editor holds it. */
export interface NewsArticle {
  /** Stable across reorders (drag and drop, React keys). */
  key: string;
  title: string;
  author: string;
  digest: string;
  /** media_items.id of the cover (a thumb, or permanent image material). */
  coverId: string | null;
  showCoverPic: boolean;
  content: string;
  contentSourceUrl: string;
  needOpenComment: boolean;
  onlyFansCanComment: boolean;
}

/**
 * A news draft of 1–8 articles. `version` goes up with every save: a save names the version it
 * edited, and a save based on an older version is refused (two people are told, not overwritten).
 */
export const newsDrafts = pgTable(
  "news_drafts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => wechatAccounts.id),
    version: integer("version").notNull().default(1),
    articles: jsonb("articles").$type<NewsArticle[]>().notNull(),
    /** The titles, for search and lists. */
    searchText: text("search_text").notNull().default(""),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    updatedBy: text("updated_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("news_drafts_account_updated_idx").on(t.accountId, t.updatedAt)],
);

/** media/uploadnews: the media_id WeChat returned for one version of a draft. */
export const newsUploads = pgTable(
  "news_uploads",
  {
    id: text("id").primaryKey(),
    draftId: text("draft_id")
      .notNull()
      .references(() => newsDrafts.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => wechatAccounts.id),
    version: integer("version").notNull(),
    mediaId: text("media_id").notNull(),
    titles: jsonb("titles").$type<string[]>().notNull(),
    /** The articles exactly as sent to WeChat (covers as thumb_media_id, images as WeChat URLs). */
    payload: jsonb("payload").$type<Record<string, unknown>[]>().notNull(),
    uploadedBy: text("uploaded_by").references(() => user.id, { onDelete: "set null" }),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("news_uploads_draft_idx").on(t.draftId, t.uploadedAt), index("news_uploads_account_idx").on(t.accountId, t.uploadedAt)],
);
