import "server-only";
import { and, desc, eq, gt, ilike, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { mediaItems, mediaMassVideos, user, type MediaConversion } from "@/db/schema";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import type { WeChatClient } from "@/lib/wechat";
import { MediaRuleError } from "./errors";
import { makePreview } from "./images";
import { type MediaKind, type MediaStorage } from "./limits";
import { prepareMedia } from "./prepare";
import { sendToWeChat } from "./wechat-upload";

export interface MediaDeps {
  /** The account's WeChat client; by default the one getAccountClient builds. */
  client?: WeChatClient;
}

export interface MassVideoView {
  id: string;
  massMediaId: string;
  title: string;
  description: string;
  createdAt: Date;
}

/** A library item as pages see it: everything but the bytes. */
export interface MediaItemView {
  id: string;
  accountId: string;
  kind: MediaKind;
  storage: MediaStorage;
  mediaId: string | null;
  url: string | null;
  filename: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  title: string | null;
  description: string | null;
  conversion: MediaConversion | null;
  sourceUrl: string | null;
  expiresAt: Date | null;
  hasPreview: boolean;
  uploadedBy: string | null;
  uploadedByName: string | null;
  createdAt: Date;
  massVideos: MassVideoView[];
}

export interface UploadInput {
  kind: MediaKind;
  storage: MediaStorage;
  filename: string;
  bytes: Uint8Array;
  /** Permanent video: WeChat requires a title and an introduction. */
  title?: string | null;
  description?: string | null;
  /** In-article images taken from a link: where they came from (so they are uploaded once). */
  sourceUrl?: string | null;
}

const newMediaId = () => "m" + randomBytes(8).toString("hex");
const newMassVideoId = () => "v" + randomBytes(8).toString("hex");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const viewColumns = {
  id: mediaItems.id,
  accountId: mediaItems.accountId,
  kind: mediaItems.kind,
  storage: mediaItems.storage,
  mediaId: mediaItems.mediaId,
  url: mediaItems.url,
  filename: mediaItems.filename,
  mime: mediaItems.mime,
  size: mediaItems.size,
  width: mediaItems.width,
  height: mediaItems.height,
  durationMs: mediaItems.durationMs,
  title: mediaItems.title,
  description: mediaItems.description,
  conversion: mediaItems.conversion,
  sourceUrl: mediaItems.sourceUrl,
  expiresAt: mediaItems.expiresAt,
  hasPreview: sql<boolean>`(${mediaItems.preview} is not null)`,
  uploadedBy: mediaItems.uploadedBy,
  uploadedByName: user.name,
  createdAt: mediaItems.createdAt,
};

async function withMassVideos(db: DbOrTx, rows: Omit<MediaItemView, "massVideos">[]): Promise<MediaItemView[]> {
  const videoIds = rows.filter((r) => r.kind === "video").map((r) => r.id);
  const mv = videoIds.length
    ? await db.select().from(mediaMassVideos).where(inArray(mediaMassVideos.mediaItemId, videoIds)).orderBy(desc(mediaMassVideos.createdAt))
    : [];
  return rows.map((r) => ({
    ...r,
    hasPreview: !!r.hasPreview,
    massVideos: mv
      .filter((m) => m.mediaItemId === r.id)
      .map((m) => ({ id: m.id, massMediaId: m.massMediaId, title: m.title, description: m.description, createdAt: m.createdAt })),
  }));
}

export async function getMediaItem(db: DbOrTx, accountId: string, id: string): Promise<MediaItemView | null> {
  const rows = await db
    .select(viewColumns)
    .from(mediaItems)
    .leftJoin(user, eq(user.id, mediaItems.uploadedBy))
    .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)));
  if (!rows[0]) return null;
  return (await withMassVideos(db, rows))[0];
}

export interface MediaFilter {
  q?: string | null;
  kind?: MediaKind | null;
  /** Only items usable now (a media_id that has not expired, or an in-article URL). */
  usable?: boolean;
  limit?: number;
}

/** The account's library, newest first; search matches file name, media_id, URL and title. */
export async function listMedia(db: DbOrTx, accountId: string, f: MediaFilter = {}): Promise<MediaItemView[]> {
  const conds = [eq(mediaItems.accountId, accountId)];
  if (f.kind) conds.push(eq(mediaItems.kind, f.kind));
  const q = f.q?.trim();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
    conds.push(or(ilike(mediaItems.filename, like), ilike(mediaItems.mediaId, like), ilike(mediaItems.url, like), ilike(mediaItems.title, like))!);
  }
  if (f.usable) conds.push(or(isNull(mediaItems.expiresAt), gt(mediaItems.expiresAt, new Date()))!);
  const rows = await db
    .select(viewColumns)
    .from(mediaItems)
    .leftJoin(user, eq(user.id, mediaItems.uploadedBy))
    .where(and(...conds))
    .orderBy(desc(mediaItems.createdAt), desc(mediaItems.id))
    .limit(Math.min(f.limit ?? 200, 500));
  return withMassVideos(db, rows);
}

/** The stored bytes (what was sent to WeChat) or the small preview. */
export async function mediaFile(
  db: DbOrTx,
  accountId: string,
  id: string,
  which: "file" | "preview",
): Promise<{ bytes: Buffer; mime: string; filename: string } | null> {
  const [r] = await db
    .select({ bytes: which === "file" ? mediaItems.bytes : mediaItems.preview, mime: mediaItems.mime, filename: mediaItems.filename })
    .from(mediaItems)
    .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)));
  if (!r?.bytes) return null;
  return { bytes: r.bytes, mime: which === "file" ? r.mime : "image/jpeg", filename: r.filename };
}

/**
 * Checks and converts the file (prepareMedia), uploads it to the account's WeChat, then records it
 * with the audit row in one transaction. Nothing is recorded when WeChat refuses.
 */
export async function uploadMediaItem(db: DbOrTx, actor: Actor, accountId: string, input: UploadInput, deps: MediaDeps = {}): Promise<MediaItemView> {
  const digest = sha256(input.bytes);
  if (input.kind === "inarticle") {
    // The same picture pasted twice: its URL is permanent, so it is uploaded once.
    const [same] = await db
      .select({ id: mediaItems.id })
      .from(mediaItems)
      .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.kind, "inarticle"), eq(mediaItems.sha256, digest), isNotNull(mediaItems.url)))
      .limit(1);
    if (same) return (await getMediaItem(db, accountId, same.id))!;
  }
  const storage: MediaStorage = input.kind === "inarticle" ? "permanent" : input.storage;
  const prepared = await prepareMedia(input.kind, input.bytes, input.filename);
  const preview = input.kind === "inarticle" || input.kind === "thumb" || input.kind === "image" ? await makePreview(prepared.bytes) : null;
  const title = input.title?.trim() || null;
  const description = input.description?.trim() || null;
  const client = deps.client ?? (await getAccountClient(accountId));
  const sent = await sendToWeChat(
    client,
    input.kind,
    storage,
    prepared,
    input.kind === "video" ? { title: title ?? prepared.filename, introduction: description ?? "" } : undefined,
  );
  const id = newMediaId();
  await db.transaction(async (tx) => {
    await tx.insert(mediaItems).values({
      id,
      accountId,
      kind: input.kind,
      storage,
      mediaId: sent.mediaId,
      url: sent.url,
      filename: prepared.filename,
      mime: prepared.mime,
      size: prepared.size,
      width: prepared.width,
      height: prepared.height,
      durationMs: prepared.durationMs,
      title,
      description,
      conversion: prepared.conversion,
      sourceUrl: input.sourceUrl ?? null,
      sha256: digest,
      bytes: prepared.bytes,
      preview,
      expiresAt: sent.expiresAt,
      uploadedBy: actor.id,
    });
    await writeAudit(tx, {
      actor,
      accountId,
      action: "media.upload",
      entityType: "media",
      entityId: id,
      summary: {
        kind: input.kind,
        storage,
        filename: prepared.filename,
        size: prepared.size,
        mediaId: sent.mediaId,
        url: sent.url,
        converted: prepared.conversion?.steps ?? null,
      },
    });
  });
  return (await getMediaItem(db, accountId, id))!;
}

/**
 * A media_id WeChat will take now: temporary media that expired (or expire within the hour) are
 * uploaded again from the kept bytes, so an old draft still uploads.
 */
export async function ensureUsableMediaId(db: DbOrTx, actor: Actor, accountId: string, id: string, deps: MediaDeps = {}): Promise<string> {
  const [r] = await db
    .select()
    .from(mediaItems)
    .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)));
  if (!r) throw new MediaRuleError("notFound", null);
  if (!r.mediaId && r.kind !== "inarticle" && r.storage === "permanent") throw new MediaRuleError("noMediaId", r.kind);
  if (r.mediaId && (!r.expiresAt || r.expiresAt.getTime() > Date.now() + 3600_000)) return r.mediaId;
  const client = deps.client ?? (await getAccountClient(accountId));
  const sent = await sendToWeChat(
    client,
    r.kind,
    r.storage,
    { bytes: r.bytes, filename: r.filename, mime: r.mime },
    r.kind === "video" ? { title: r.title ?? r.filename, introduction: r.description ?? "" } : undefined,
  );
  await db.transaction(async (tx) => {
    await tx
      .update(mediaItems)
      .set({ mediaId: sent.mediaId, url: sent.url ?? r.url, expiresAt: sent.expiresAt })
      .where(eq(mediaItems.id, r.id));
    await writeAudit(tx, {
      actor,
      accountId,
      action: "media.upload",
      entityType: "media",
      entityId: r.id,
      summary: { reupload: true, previousMediaId: r.mediaId, mediaId: sent.mediaId },
    });
  });
  return sent.mediaId!;
}

/** Removes the item from qunfa's library (WeChat keeps permanent material until it is deleted there). */
export async function deleteMediaItem(db: DbOrTx, actor: Actor, accountId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(mediaItems)
      .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.id, id)))
      .returning({ id: mediaItems.id, kind: mediaItems.kind, filename: mediaItems.filename, mediaId: mediaItems.mediaId, url: mediaItems.url });
    if (!gone) return false;
    await writeAudit(tx, {
      actor,
      accountId,
      action: "media.delete",
      entityType: "media",
      entityId: id,
      summary: { kind: gone.kind, filename: gone.filename, mediaId: gone.mediaId, url: gone.url },
    });
    return true;
  });
}

/** media/uploadvideo: a video item plus title and description → the media_id a mass send (mpvideo) uses. */
export async function createMassVideo(
  db: DbOrTx,
  actor: Actor,
  accountId: string,
  itemId: string,
  v: { title: string; description: string },
  deps: MediaDeps = {},
): Promise<MassVideoView> {
  const item = await getMediaItem(db, accountId, itemId);
  if (!item) throw new MediaRuleError("notFound", null);
  if (item.kind !== "video") throw new MediaRuleError("notVideo", item.kind);
  const client = deps.client ?? (await getAccountClient(accountId));
  const mediaId = await ensureUsableMediaId(db, actor, accountId, itemId, { client });
  const r = await client.uploadVideo({ media_id: mediaId, title: v.title, description: v.description });
  const id = newMassVideoId();
  const createdAt = new Date();
  await db.transaction(async (tx) => {
    await tx
      .insert(mediaMassVideos)
      .values({ id, accountId, mediaItemId: itemId, massMediaId: r.media_id, title: v.title, description: v.description, createdBy: actor.id, createdAt });
    await writeAudit(tx, {
      actor,
      accountId,
      action: "media.uploadvideo",
      entityType: "media",
      entityId: itemId,
      summary: { massMediaId: r.media_id, title: v.title },
    });
  });
  return { id, massMediaId: r.media_id, title: v.title, description: v.description, createdAt };
}

/** The same file uploaded to another account (from the kept bytes), as a new item there. */
export async function copyMediaToAccount(
  db: DbOrTx,
  actor: Actor,
  fromAccountId: string,
  id: string,
  toAccountId: string,
  deps: MediaDeps = {},
): Promise<MediaItemView> {
  if (fromAccountId === toAccountId) throw new MediaRuleError("sameAccount", null);
  const [r] = await db
    .select()
    .from(mediaItems)
    .where(and(eq(mediaItems.accountId, fromAccountId), eq(mediaItems.id, id)));
  if (!r) throw new MediaRuleError("notFound", null);
  return uploadMediaItem(
    db,
    actor,
    toAccountId,
    { kind: r.kind, storage: r.storage, filename: r.filename, bytes: r.bytes, title: r.title, description: r.description, sourceUrl: r.sourceUrl },
    deps,
  );
}

export interface CampaignMediaOption {
  /** media_items.id (image, voice) or media_mass_videos.id (video) */
  id: string;
  mediaItemId: string;
  kind: "image" | "voice" | "video";
  /** The media_id a mass send uses: image/voice media_id, or uploadvideo's for video. */
  mediaId: string;
  filename: string;
  title: string | null;
  description: string | null;
  storage: MediaStorage;
  expiresAt: Date | null;
  createdAt: Date;
  previewUrl: string | null;
}

/**
 * For the campaign page: what can be mass-sent now. Images and voice: permanent material, or
 * temporary media that have not expired. Video: only items turned into a mass-send video
 * (media/uploadvideo), with that media_id, title and description.
 */
export async function listMediaForCampaign(db: DbOrTx, accountId: string, kind: "image" | "voice" | "video"): Promise<CampaignMediaOption[]> {
  const now = new Date();
  if (kind === "video") {
    const rows = await db
      .select({ mv: mediaMassVideos, item: { filename: mediaItems.filename, storage: mediaItems.storage, expiresAt: mediaItems.expiresAt } })
      .from(mediaMassVideos)
      .innerJoin(mediaItems, eq(mediaItems.id, mediaMassVideos.mediaItemId))
      .where(eq(mediaMassVideos.accountId, accountId))
      .orderBy(desc(mediaMassVideos.createdAt));
    return rows.map(({ mv, item }) => ({
      id: mv.id,
      mediaItemId: mv.mediaItemId,
      kind: "video",
      mediaId: mv.massMediaId,
      filename: item.filename,
      title: mv.title,
      description: mv.description,
      storage: item.storage,
      expiresAt: item.expiresAt,
      createdAt: mv.createdAt,
      previewUrl: null,
    }));
  }
  const rows = await db
    .select({
      id: mediaItems.id,
      mediaId: mediaItems.mediaId,
      filename: mediaItems.filename,
      title: mediaItems.title,
      description: mediaItems.description,
      storage: mediaItems.storage,
      expiresAt: mediaItems.expiresAt,
      createdAt: mediaItems.createdAt,
      hasPreview: sql<boolean>`(${mediaItems.preview} is not null)`,
    })
    .from(mediaItems)
    .where(
      and(
        eq(mediaItems.accountId, accountId),
        eq(mediaItems.kind, kind),
        isNotNull(mediaItems.mediaId),
        or(eq(mediaItems.storage, "permanent"), gt(mediaItems.expiresAt, now)),
      ),
    )
    .orderBy(desc(mediaItems.createdAt));
  return rows.map((r) => ({
    id: r.id,
    mediaItemId: r.id,
    kind,
    mediaId: r.mediaId!,
    filename: r.filename,
    title: r.title,
    description: r.description,
    storage: r.storage,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    previewUrl: r.hasPreview ? `/${accountId}/media/${r.id}/preview` : null,
  }));
}
