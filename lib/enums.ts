/**
 * The closed lists of values the database stores as text enums. They live here, free of drizzle,
 * so a browser component can list them without bundling table definitions; `db/schema` builds its
 * columns from these same arrays.
 */

export const CAMPAIGN_STATES = ["draft", "awaiting_approval", "scheduled", "sending", "paused", "submitted", "finished", "cancelled", "failed"] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const MESSAGE_TYPES = ["mpnews", "text", "image", "voice", "mpvideo", "wxcard"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Who a campaign goes to; the switch over these lives in `lib/audiences`. */
export const AUDIENCE_KINDS = ["all", "tag", "list"] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

export const BATCH_STATES = ["pending", "submitting", "submitted", "failed", "cancelled"] as const;
export type BatchState = (typeof BATCH_STATES)[number];

export const ACCOUNT_TYPES = ["subscription", "service"] as const;
export const MESSAGE_MODES = ["plaintext", "compatible", "safe"] as const;

/** inarticle: media/uploadimg → URL; the others get a media_id (temporary or permanent). */
export const MEDIA_KINDS = ["inarticle", "thumb", "image", "voice", "video"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
export const MEDIA_STORAGES = ["temporary", "permanent"] as const;
export type MediaStorage = (typeof MEDIA_STORAGES)[number];
