import { and, asc, desc, eq, isNotNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, campaigns, mediaItems, newsUploads, user, type CampaignMessage } from "@/db/schema";
import { sameAudienceWhere } from "@/lib/audiences/audience";
import { renderNewsPreview } from "@/lib/news/news-service";
import { mediaFileUrl, type PreviewArticle } from "@/lib/news/preview";

export type Campaign = typeof campaigns.$inferSelect;

/** What the follower saw, for the campaign page's phone (components/history/message-preview.tsx). */
export type MessageView =
  | { type: "mpnews"; articles: PreviewArticle[] }
  | { type: "text"; content: string }
  | { type: "image"; imageUrl: string | null; mediaId: string }
  | { type: "voice"; durationMs: number | null; filename: string | null; mediaId: string }
  | { type: "mpvideo"; title: string; description: string; mediaId: string }
  | { type: "wxcard"; cardId: string };

/** The upload (uploadnews) a news campaign sent: by its media_id within the account. */
async function newsUploadOf(db: Db, accountId: string, mediaId: string | null | undefined) {
  if (!mediaId) return null;
  const [u] = await db
    .select({ draftId: newsUploads.draftId, titles: newsUploads.titles })
    .from(newsUploads)
    .where(and(eq(newsUploads.accountId, accountId), eq(newsUploads.mediaId, mediaId)))
    .orderBy(desc(newsUploads.uploadedAt))
    .limit(1);
  return u ?? null;
}

/**
 * The article titles of a news campaign, in order: those stored with the campaign's message when it
 * was composed, else the titles of the upload its media_id names. Empty for other types.
 */
export async function campaignArticleTitles(db: Db, c: Pick<Campaign, "accountId" | "messageType" | "message">): Promise<string[]> {
  if (c.messageType !== "mpnews") return [];
  const m = c.message as Extract<CampaignMessage, { type: "mpnews" }>;
  if (m.titles?.length) return m.titles;
  return (await newsUploadOf(db, c.accountId, m.mediaId))?.titles ?? [];
}

export async function campaignMessageView(db: Db, c: Pick<Campaign, "accountId" | "messageType" | "message">): Promise<MessageView> {
  const m = c.message;
  const item = async (id: string | null | undefined, mediaId: string) => {
    const [r] = await db
      .select({ id: mediaItems.id, durationMs: mediaItems.durationMs, filename: mediaItems.filename })
      .from(mediaItems)
      .where(and(eq(mediaItems.accountId, c.accountId), id ? eq(mediaItems.id, id) : eq(mediaItems.mediaId, mediaId)))
      .limit(1);
    return r ?? null;
  };
  switch (m.type) {
    case "mpnews": {
      // The articles as that upload sent them (covers from the library); else the draft as it is;
      // else only the titles kept with the campaign.
      const draftId = m.newsDraftId ?? (await newsUploadOf(db, c.accountId, m.mediaId))?.draftId;
      const articles = draftId ? await renderNewsPreview(db, c.accountId, draftId, { mediaId: m.mediaId }) : null;
      if (articles?.length) return { type: "mpnews", articles };
      const titles = await campaignArticleTitles(db, c);
      return {
        type: "mpnews",
        articles: titles.map((title, i) => ({
          key: String(i),
          title,
          author: "",
          digest: "",
          coverUrl: null,
          showCoverPic: false,
          content: "",
          contentSourceUrl: "",
        })),
      };
    }
    case "text":
      return { type: "text", content: m.content };
    case "image": {
      const it = await item(m.mediaItemId, m.mediaId);
      return { type: "image", imageUrl: it ? mediaFileUrl(c.accountId, it.id) : null, mediaId: m.mediaId };
    }
    case "voice": {
      const it = await item(m.mediaItemId, m.mediaId);
      return { type: "voice", durationMs: it?.durationMs ?? null, filename: it?.filename ?? null, mediaId: m.mediaId };
    }
    case "mpvideo":
      return { type: "mpvideo", title: m.title ?? "", description: m.description ?? "", mediaId: m.mediaId };
    case "wxcard":
      return { type: "wxcard", cardId: m.cardId };
  }
}

export interface AuditTrailRow {
  id: number;
  at: Date;
  action: string;
  who: string | null;
  email: string | null;
  summary: Record<string, unknown>;
}

/** Every audit row whose entity is this campaign, oldest first: who did what, when. */
export async function campaignAuditTrail(db: Db, accountId: string, campaignId: string): Promise<AuditTrailRow[]> {
  return db
    .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, who: user.name, email: auditLog.actorEmail, summary: auditLog.summary })
    .from(auditLog)
    .leftJoin(user, eq(user.id, auditLog.actorId))
    .where(
      and(eq(auditLog.entityType, "campaign"), eq(auditLog.entityId, campaignId), or(eq(auditLog.accountId, accountId), sql`${auditLog.accountId} is null`)),
    )
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}

export interface SameAudienceRow {
  id: string;
  name: string;
  startedAt: Date;
  totalCount: number | null;
  filterCount: number | null;
  sentCount: number | null;
  errorCount: number | null;
}

/**
 * For a recurring audience (the same tag, or the same OpenID list): this campaign and the ones sent
 * to it before, oldest first (at most `limit`). Empty for "everyone" or a campaign never sent.
 */
export async function sameAudienceCampaigns(
  db: Db,
  c: Pick<Campaign, "id" | "accountId" | "audienceKind" | "tagId" | "audienceListId" | "startedAt">,
  limit = 10,
): Promise<SameAudienceRow[]> {
  if (!c.startedAt) return [];
  const audience = sameAudienceWhere(c);
  if (!audience) return [];
  const rows = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      startedAt: campaigns.startedAt,
      totalCount: campaigns.totalCount,
      filterCount: campaigns.filterCount,
      sentCount: campaigns.sentCount,
      errorCount: campaigns.errorCount,
    })
    .from(campaigns)
    .where(and(eq(campaigns.accountId, c.accountId), audience, isNotNull(campaigns.startedAt), lte(campaigns.startedAt, c.startedAt)))
    .orderBy(desc(campaigns.startedAt), desc(campaigns.id))
    .limit(limit);
  return rows.reverse() as SameAudienceRow[];
}

/** What the campaign page's review shows: the message as seen, the audit trail, earlier sends to the same audience. */
export interface CampaignReviewData {
  view: MessageView;
  trail: AuditTrailRow[];
  same: SameAudienceRow[];
}

export async function campaignReview(db: Db, c: Campaign): Promise<CampaignReviewData> {
  const [view, trail, same] = await Promise.all([campaignMessageView(db, c), campaignAuditTrail(db, c.accountId, c.id), sameAudienceCampaigns(db, c)]);
  return { view, trail, same };
}
