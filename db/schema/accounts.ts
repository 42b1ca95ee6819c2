import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, timestamp, integer } from "drizzle-orm/pg-core";

import { ACCOUNT_TYPES, MESSAGE_MODES } from "../../lib/enums";
export { ACCOUNT_TYPES, MESSAGE_MODES };

/**
 * A connected Official Account. Secrets (appsecret, EncodingAESKey, callback token) are stored
 * only as AES-256-GCM ciphertext (lib/crypto/secret-box.ts); no query that feeds a page selects them.
 */
export const wechatAccounts = pgTable(
  "wechat_accounts",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    appid: text("appid").notNull(),
    type: text("type", { enum: ACCOUNT_TYPES }).notNull(),
    verified: boolean("verified").notNull().default(true),
    messageMode: text("message_mode", { enum: MESSAGE_MODES }).notNull().default("safe"),
    appSecretEnc: text("app_secret_enc").notNull(),
    callbackTokenEnc: text("callback_token_enc").notNull(),
    aesKeyEnc: text("aes_key_enc"),
    // Kept after an admin changes the EncodingAESKey, so pushes in flight still decrypt.
    aesKeyPrevEnc: text("aes_key_prev_enc"),
    aesKeyChangedAt: timestamp("aes_key_changed_at", { withTimezone: true }),
    relayUrl: text("relay_url"),
    apiBaseUrl: text("api_base_url").notNull().default("https://api.weixin.qq.com"),
    tokenMode: text("token_mode", { enum: ["stable", "classic"] })
      .notNull()
      .default("stable"),
    isSandbox: boolean("is_sandbox").notNull().default(false),
    timezone: text("timezone").notNull().default("Asia/Shanghai"),
    requiresApproval: boolean("requires_approval").notNull().default(false),
    /** WeChat allows 60 mass requests a minute; the sandbox can be set higher for benches. */
    massPerMinute: integer("mass_per_minute").notNull().default(60),
    callbackVerifiedAt: timestamp("callback_verified_at", { withTimezone: true }),
    lastTestAt: timestamp("last_test_at", { withTimezone: true }),
    lastTestOk: boolean("last_test_ok"),
    lastTestMessage: text("last_test_message"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("wechat_accounts_appid_idx").on(t.appid)],
);

/** One access token per account, shared by every process (refreshed under an advisory lock). */
export const wechatTokens = pgTable("wechat_tokens", {
  accountId: text("account_id")
    .primaryKey()
    .references(() => wechatAccounts.id, { onDelete: "cascade" }),
  accessTokenEnc: text("access_token_enc").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  fetchedAt: timestamp("fetched_at", { withTimezone: true })
    .notNull()
    .default(sql`now()`),
  refreshCount: integer("refresh_count").notNull().default(0),
});
