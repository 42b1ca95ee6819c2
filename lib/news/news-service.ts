import "server-only";
import { MERGED_FIELDS } from "./merge";
import { and, desc, eq, ilike, inArray, isNotNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { randomBytes } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { mediaItems, newsDrafts, newsUploads, user, type NewsArticle } from "@/db/schema";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import { ensureUsableMediaId, uploadMediaItem } from "@/lib/media/media-service";
import { MediaRuleError } from "@/lib/media/errors";
import type { WeChatClient } from "@/lib/wechat";
import { decodeDataUrl, fetchPublicImage, ImageFetchError, type ImageFetcher } from "./fetch-image";
import { imageSources, isWeChatImageUrl, rewriteImageSources, sanitizeArticleHtml } from "./html";
import { draftArticleSchema, emptyArticle, newsSchema } from "./schemas";
import { mediaFileUrl, toPreviewArticles, type PreviewArticle } from "./preview";

/** uploadnews media_ids are temporary media: 3 days. */
export const NEWS_MEDIA_TTL_MS = 3 * 24 * 3600_000;

export interface NewsDeps {
  client?: WeChatClient;
  /** How images linked from elsewhere are fetched (tests pass their own). */
  fetchImage?: ImageFetcher;
}

export interface Person {
  id: string;
  name: string;
  email: string;
}

/** A save based on an older version than the stored one: who saved the stored one, and when. */
export class NewsConflictError extends Error {
  constructor(readonly current: { version: number; updatedAt: Date; updatedBy: Person | null }) {
    super(`news draft changed: now version ${current.version}`);
    this.name = "NewsConflictError";
  }
}

export class NewsNotFoundError extends Error {
  constructor() {
    super("news draft not found");
    this.name = "NewsNotFoundError";
  }
}

export interface NewsIssue {
  /** e.g. ["articles", 0, "title"] */
  path: (string | number)[];
  /** a zod message: a `rule.*` key of the news catalog, or zodErrorMap's text */
  message: string;
  params?: Record<string, string | number>;
  /** zod's issue as raised, so the message can be written in the reader's language when it is shown */
  zod?: { code: string; origin?: string; minimum?: number | bigint; maximum?: number | bigint; format?: string; expected?: string };
}

/** The draft breaks WeChat's rules; each issue names its field. Nothing was sent. */
export class NewsValidationError extends Error {
  constructor(readonly issues: NewsIssue[]) {
    super(`news draft invalid: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    this.name = "NewsValidationError";
  }
}

export interface NewsUploadView {
  id: string;
  version: number;
  mediaId: string;
  titles: string[];
  uploadedAt: Date;
  expiresAt: Date;
  uploadedByName: string | null;
}

export interface NewsDraftView {
  id: string;
  accountId: string;
  version: number;
  articles: NewsArticle[];
  createdAt: Date;
  updatedAt: Date;
  createdBy: Person | null;
  updatedBy: Person | null;
  uploads: NewsUploadView[];
}

const newDraftId = () => "n" + randomBytes(8).toString("hex");
const newUploadId = () => "u" + randomBytes(8).toString("hex");
const searchTextOf = (a: NewsArticle[]) =>
  a
    .map((x) => x.title.trim())
    .filter(Boolean)
    .join(" · ")
    .slice(0, 2000);

function cleanArticles(articles: NewsArticle[]): NewsArticle[] {
  return articles.map((a) => ({ ...draftArticleSchema.parse(a), content: sanitizeArticleHtml(a.content) }));
}

export async function createDraft(db: DbOrTx, actor: Actor, accountId: string, articles?: NewsArticle[]): Promise<{ id: string; version: number }> {
  const arts = cleanArticles(articles?.length ? articles : [emptyArticle() as NewsArticle]);
  const id = newDraftId();
  await db.transaction(async (tx) => {
    await tx.insert(newsDrafts).values({ id, accountId, version: 1, articles: arts, searchText: searchTextOf(arts), createdBy: actor.id, updatedBy: actor.id });
    await writeAudit(tx, { actor, accountId, action: "news.create", entityType: "news", entityId: id, summary: { articles: arts.length } });
  });
  return { id, version: 1 };
}

const createdByUser = alias(user, "created_by_user");
const updatedByUser = alias(user, "updated_by_user");

function person(u: { id: string | null; name: string | null; email: string | null } | null): Person | null {
  return u?.id ? { id: u.id, name: u.name ?? "", email: u.email ?? "" } : null;
}

async function uploadsOf(db: DbOrTx, draftIds: string[]): Promise<Map<string, NewsUploadView[]>> {
  const out = new Map<string, NewsUploadView[]>();
  if (draftIds.length === 0) return out;
  const rows = await db
    .select({ u: newsUploads, name: user.name })
    .from(newsUploads)
    .leftJoin(user, eq(user.id, newsUploads.uploadedBy))
    .where(inArray(newsUploads.draftId, draftIds))
    .orderBy(desc(newsUploads.uploadedAt), desc(newsUploads.version));
  for (const { u, name } of rows) {
    const list = out.get(u.draftId) ?? [];
    list.push({
      id: u.id,
      version: u.version,
      mediaId: u.mediaId,
      titles: u.titles,
      uploadedAt: u.uploadedAt,
      expiresAt: new Date(u.uploadedAt.getTime() + NEWS_MEDIA_TTL_MS),
      uploadedByName: name,
    });
    out.set(u.draftId, list);
  }
  return out;
}

export async function getDraft(db: DbOrTx, accountId: string, id: string): Promise<NewsDraftView | null> {
  const [r] = await db
    .select({
      d: newsDrafts,
      c: { id: createdByUser.id, name: createdByUser.name, email: createdByUser.email },
      u: { id: updatedByUser.id, name: updatedByUser.name, email: updatedByUser.email },
    })
    .from(newsDrafts)
    .leftJoin(createdByUser, eq(createdByUser.id, newsDrafts.createdBy))
    .leftJoin(updatedByUser, eq(updatedByUser.id, newsDrafts.updatedBy))
    .where(and(eq(newsDrafts.accountId, accountId), eq(newsDrafts.id, id)));
  if (!r) return null;
  const uploads = (await uploadsOf(db, [id])).get(id) ?? [];
  return {
    id: r.d.id,
    accountId: r.d.accountId,
    version: r.d.version,
    articles: r.d.articles,
    createdAt: r.d.createdAt,
    updatedAt: r.d.updatedAt,
    createdBy: person(r.c),
    updatedBy: person(r.u),
    uploads,
  };
}

export interface DraftListItem {
  id: string;
  version: number;
  titles: string[];
  articleCount: number;
  updatedAt: Date;
  updatedByName: string | null;
  latestUpload: NewsUploadView | null;
}

export async function listDrafts(db: DbOrTx, accountId: string, q?: string | null): Promise<DraftListItem[]> {
  const conds = [eq(newsDrafts.accountId, accountId)];
  if (q?.trim()) conds.push(ilike(newsDrafts.searchText, `%${q.trim().replace(/[\\%_]/g, (c) => "\\" + c)}%`));
  const rows = await db
    .select({ d: newsDrafts, name: user.name })
    .from(newsDrafts)
    .leftJoin(user, eq(user.id, newsDrafts.updatedBy))
    .where(and(...conds))
    .orderBy(desc(newsDrafts.updatedAt))
    .limit(300);
  const ups = await uploadsOf(
    db,
    rows.map((r) => r.d.id),
  );
  return rows.map(({ d, name }) => ({
    id: d.id,
    version: d.version,
    titles: d.articles.map((a) => a.title),
    articleCount: d.articles.length,
    updatedAt: d.updatedAt,
    updatedByName: name,
    latestUpload: ups.get(d.id)?.[0] ?? null,
  }));
}

async function currentState(db: DbOrTx, accountId: string, id: string) {
  const [r] = await db
    .select({ version: newsDrafts.version, updatedAt: newsDrafts.updatedAt, u: { id: user.id, name: user.name, email: user.email } })
    .from(newsDrafts)
    .leftJoin(user, eq(user.id, newsDrafts.updatedBy))
    .where(and(eq(newsDrafts.accountId, accountId), eq(newsDrafts.id, id)));
  return r ? { version: r.version, updatedAt: r.updatedAt, updatedBy: person(r.u) } : null;
}

/** An article is the same when its identity and every field a person edits are. */
const ARTICLE_KEYS = ["key", ...MERGED_FIELDS] as const;

/** jsonb does not keep key order, so articles are compared field by field. */
function sameArticles(a: NewsArticle[], b: NewsArticle[]): boolean {
  return a.length === b.length && a.every((x, i) => ARTICLE_KEYS.every((k) => x[k] === b[i][k]));
}

/**
 * Saves the articles as the next version if nobody saved since `baseVersion` (one conditional
 * UPDATE, so of two concurrent saves exactly one wins); otherwise NewsConflictError names who
 * saved and when. `overwrite` keeps this person's articles over the newer version, knowingly.
 * Saving what is already stored changes nothing (a repeated save on leaving the page).
 */
export async function saveDraft(
  db: DbOrTx,
  actor: Actor,
  accountId: string,
  id: string,
  baseVersion: number,
  articles: NewsArticle[],
  opts: { overwrite?: boolean } = {},
): Promise<{ version: number; updatedAt: Date; articles: NewsArticle[] }> {
  const arts = cleanArticles(articles);
  return db.transaction(async (tx) => {
    const [stored] = await tx
      .select()
      .from(newsDrafts)
      .where(and(eq(newsDrafts.accountId, accountId), eq(newsDrafts.id, id)))
      .for("update");
    if (!stored) throw new NewsNotFoundError();
    if (stored.version !== baseVersion && !opts.overwrite) {
      if (sameArticles(stored.articles, arts)) return { version: stored.version, updatedAt: stored.updatedAt, articles: stored.articles };
      throw new NewsConflictError((await currentState(tx, accountId, id))!);
    }
    if (stored.version === baseVersion && sameArticles(stored.articles, arts))
      return { version: stored.version, updatedAt: stored.updatedAt, articles: stored.articles };
    const updatedAt = new Date();
    const [u] = await tx
      .update(newsDrafts)
      .set({ articles: arts, version: stored.version + 1, searchText: searchTextOf(arts), updatedBy: actor.id, updatedAt })
      .where(and(eq(newsDrafts.id, id), eq(newsDrafts.version, stored.version)))
      .returning({ version: newsDrafts.version });
    if (!u) throw new NewsConflictError((await currentState(tx, accountId, id))!);
    await writeAudit(tx, {
      actor,
      accountId,
      action: "news.update",
      entityType: "news",
      entityId: id,
      summary: {
        version: u.version,
        baseVersion,
        overwrite: !!opts.overwrite && stored.version !== baseVersion,
        articles: arts.length,
        titles: arts.map((a) => a.title.slice(0, 64)),
      },
    });
    return { version: u.version, updatedAt, articles: arts };
  });
}

export async function deleteDraft(db: DbOrTx, actor: Actor, accountId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(newsDrafts)
      .where(and(eq(newsDrafts.accountId, accountId), eq(newsDrafts.id, id)))
      .returning({ id: newsDrafts.id, searchText: newsDrafts.searchText, version: newsDrafts.version });
    if (!gone) return false;
    await writeAudit(tx, {
      actor,
      accountId,
      action: "news.delete",
      entityType: "news",
      entityId: id,
      summary: { titles: gone.searchText, version: gone.version },
    });
    return true;
  });
}

/** zod's issues as NewsIssues. */
export function validateForWeChat(articles: NewsArticle[]): NewsIssue[] {
  const r = newsSchema.safeParse({ articles });
  return r.success
    ? []
    : r.error.issues.map((i) => {
        const x = i as unknown as { origin?: string; minimum?: number | bigint; maximum?: number | bigint; format?: string; expected?: string };
        return {
          path: i.path as (string | number)[],
          message: i.message,
          zod: { code: i.code, origin: x.origin, minimum: x.minimum, maximum: x.maximum, format: x.format, expected: x.expected },
        };
      });
}

/**
 * What stops each of these article lists from being sent: WeChat's rules (validateForWeChat), then
 * each cover that is not this account's thumb or image material (a deleted cover, another kind).
 * The one rule for "Upload to WeChat", and so for preview and sending, for saving a news campaign
 * and for the compose form's picker, which names the articles before anyone chooses them. One
 * query for every list's covers.
 */
export async function sendIssues(db: DbOrTx, accountId: string, lists: NewsArticle[][]): Promise<NewsIssue[][]> {
  const coverIds = [...new Set(lists.flatMap((l) => l.map((a) => a.coverId).filter((id): id is string => !!id)))];
  const covers = coverIds.length
    ? await db
        .select({ id: mediaItems.id, kind: mediaItems.kind })
        .from(mediaItems)
        .where(and(eq(mediaItems.accountId, accountId), inArray(mediaItems.id, coverIds)))
    : [];
  return lists.map((articles) => {
    const issues = validateForWeChat(articles);
    if (issues.length) return issues;
    const coverIssues: NewsIssue[] = [];
    articles.forEach((a, i) => {
      const c = covers.find((x) => x.id === a.coverId);
      if (!c || (c.kind !== "thumb" && c.kind !== "image")) coverIssues.push({ path: ["articles", i, "coverId"], message: "rule.coverMissing" });
    });
    return coverIssues;
  });
}

/** What the compose form's picker says stops a version being sent, grouped: which articles (from 1) lack what. */
export type NewsBlocker =
  | { kind: "noCover" | "noTitle" | "noContent"; articles: number[] }
  | { kind: "invalid"; field: string; articles: number[] }
  /** Over WeChat's length for the field (a title of 70 characters where 64 are allowed). */
  | { kind: "tooLong"; field: string; max: number; articles: number[] }
  | { kind: "articleCount"; articles: [] };

/** sendIssues' answer in the picker's terms: missing cover, title or text by article, then any other broken field. */
export function newsBlockers(issues: NewsIssue[]): NewsBlocker[] {
  const groups = new Map<string, NewsBlocker>();
  for (const i of issues) {
    const [, idx, field] = i.path;
    if (typeof idx !== "number") {
      groups.set("articleCount", { kind: "articleCount", articles: [] });
      continue;
    }
    const b: NewsBlocker =
      field === "coverId"
        ? { kind: "noCover", articles: [] }
        : field === "title" && i.zod?.code === "too_small"
          ? { kind: "noTitle", articles: [] }
          : field === "content" && i.message === "rule.contentRequired"
            ? { kind: "noContent", articles: [] }
            : i.zod?.code === "too_big" && i.zod.maximum !== undefined
              ? { kind: "tooLong", field: String(field ?? ""), max: Number(i.zod.maximum), articles: [] }
              : { kind: "invalid", field: String(field ?? ""), articles: [] };
    const key = b.kind === "invalid" || b.kind === "tooLong" ? `${b.kind}:${b.field}` : b.kind;
    const g = (groups.get(key) ?? groups.set(key, b).get(key)!) as { articles: number[] };
    if (!g.articles.includes(idx + 1)) g.articles.push(idx + 1);
  }
  const order = ["noCover", "noTitle", "noContent", "tooLong", "invalid", "articleCount"];
  return [...groups.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/**
 * The "Upload to WeChat" step: checks the saved draft against WeChat's rules, makes sure each cover
 * has a live thumb media_id, uploads every image in the content that is not yet a WeChat URL
 * (pasted data, links to other sites) through media/uploadimg and rewrites its src, then calls
 * media/uploadnews. The media_id is kept with the draft version it came from. When images were
 * rewritten, the draft becomes the next version (its content is now what WeChat has). A refusal
 * by WeChat leaves the draft as it was.
 */
export async function uploadNewsVersion(
  db: DbOrTx,
  actor: Actor,
  accountId: string,
  draftId: string,
  deps: NewsDeps & { /** refuse (NewsVersionGoneError) when the draft is no longer this version */ expectVersion?: number } = {},
): Promise<{ mediaId: string; version: number; titles: string[]; uploadedAt: Date }> {
  const [draft] = await db
    .select()
    .from(newsDrafts)
    .where(and(eq(newsDrafts.accountId, accountId), eq(newsDrafts.id, draftId)));
  if (!draft) throw new NewsNotFoundError();
  if (deps.expectVersion !== undefined && draft.version !== deps.expectVersion) throw new NewsVersionGoneError(deps.expectVersion, draft.version);
  const [issues] = await sendIssues(db, accountId, [draft.articles]);
  if (issues.length) throw new NewsValidationError(issues);
  const coverIds = [...new Set(draft.articles.map((a) => a.coverId!))];

  const client = deps.client ?? (await getAccountClient(accountId));
  const thumbIds = new Map<string, string>();
  for (const id of coverIds) thumbIds.set(id, await ensureUsableMediaId(db, actor, accountId, id, { client }));

  // Content images: what is not yet on WeChat goes through uploadimg, once per source.
  const known = new Set(
    (
      await db
        .select({ url: mediaItems.url })
        .from(mediaItems)
        .where(and(eq(mediaItems.accountId, accountId), eq(mediaItems.kind, "inarticle"), isNotNull(mediaItems.url)))
    ).map((r) => r.url!),
  );
  const fetchImage = deps.fetchImage ?? fetchPublicImage;
  const rewrites = new Map<string, string>();
  const articles: NewsArticle[] = [];
  for (const a of draft.articles) {
    const clean = sanitizeArticleHtml(a.content);
    for (const src of imageSources(clean)) {
      if (rewrites.has(src) || isWeChatImageUrl(src, known)) continue;
      let url: string | null = null;
      if (!src.startsWith("data:")) {
        const [prior] = await db
          .select({ url: mediaItems.url })
          .from(mediaItems)
          .where(
            and(eq(mediaItems.accountId, accountId), eq(mediaItems.kind, "inarticle"), eq(mediaItems.sourceUrl, src.slice(0, 4000)), isNotNull(mediaItems.url)),
          )
          .limit(1);
        url = prior?.url ?? null;
      }
      if (!url) {
        const got = src.startsWith("data:") ? decodeDataUrl(src) : await fetchImage(src);
        const item = await uploadMediaItem(
          db,
          actor,
          accountId,
          { kind: "inarticle", storage: "permanent", filename: got.filename, bytes: got.bytes, sourceUrl: src.startsWith("data:") ? null : src.slice(0, 4000) },
          { client },
        );
        url = item.url!;
      }
      rewrites.set(src, url);
    }
    articles.push({ ...a, content: rewrites.size ? rewriteImageSources(clean, rewrites) : clean });
  }

  const payload = articles.map((a) => ({
    thumb_media_id: thumbIds.get(a.coverId!)!,
    author: a.author.trim(),
    title: a.title.trim(),
    content_source_url: a.contentSourceUrl.trim(),
    content: a.content,
    digest: a.digest.trim(),
    show_cover_pic: a.showCoverPic ? 1 : 0,
    need_open_comment: a.needOpenComment ? 1 : 0,
    only_fans_can_comment: a.needOpenComment && a.onlyFansCanComment ? 1 : 0,
  })) as {
    thumb_media_id: string;
    author: string;
    title: string;
    content_source_url: string;
    content: string;
    digest: string;
    show_cover_pic: 0 | 1;
    need_open_comment: 0 | 1;
    only_fans_can_comment: 0 | 1;
  }[];
  const r = await client.uploadNews({ articles: payload });

  const titles = articles.map((a) => a.title.trim());
  const uploadedAt = new Date();
  const version = await db.transaction(async (tx) => {
    let v = draft.version;
    if (!sameArticles(articles, draft.articles)) {
      // The draft now holds what WeChat has; unless someone saved meanwhile (theirs stays, and
      // this upload belongs to the version it was made from).
      const [u] = await tx
        .update(newsDrafts)
        .set({ articles, version: draft.version + 1, updatedAt: uploadedAt, updatedBy: actor.id })
        .where(and(eq(newsDrafts.id, draftId), eq(newsDrafts.version, draft.version)))
        .returning({ version: newsDrafts.version });
      if (u) v = u.version;
    }
    await tx
      .insert(newsUploads)
      .values({ id: newUploadId(), draftId, accountId, version: v, mediaId: r.media_id, titles, payload, uploadedBy: actor.id, uploadedAt });
    await writeAudit(tx, {
      actor,
      accountId,
      action: "news.upload",
      entityType: "news",
      entityId: draftId,
      summary: { version: v, mediaId: r.media_id, titles, imagesUploaded: rewrites.size },
    });
    return v;
  });
  return { mediaId: r.media_id, version, titles, uploadedAt };
}

export interface CampaignNewsOption {
  draftId: string;
  /** The version the latest upload came from (or the draft's, when never uploaded). */
  version: number;
  /** uploadnews media_id of the latest upload; null when the draft was never uploaded. */
  mediaId: string | null;
  titles: string[];
  uploadedAt: Date | null;
  expiresAt: Date | null;
  /** The draft as it is now. */
  draftVersion: number;
  draftTitles: string[];
  /** The latest upload is of the current version. */
  upToDate: boolean;
  updatedAt: Date;
}

/** For the campaign page: every draft with its latest upload (media_id, the version it came from). */
export async function listNewsForCampaign(db: DbOrTx, accountId: string): Promise<CampaignNewsOption[]> {
  const drafts = await listDrafts(db, accountId);
  return drafts.map((d) => {
    const u = d.latestUpload;
    return {
      draftId: d.id,
      version: u?.version ?? d.version,
      mediaId: u?.mediaId ?? null,
      titles: u?.titles ?? d.titles,
      uploadedAt: u?.uploadedAt ?? null,
      expiresAt: u?.expiresAt ?? null,
      draftVersion: d.version,
      draftTitles: d.titles,
      upToDate: !!u && u.version === d.version,
      updatedAt: d.updatedAt,
    };
  });
}

export { ImageFetchError, MediaRuleError };

/**
 * The phone preview's data for a draft (components/news/phone-preview.tsx renders it): the draft as
 * it is now, or, given `mediaId`, the articles exactly as that upload sent them.
 */
export async function renderNewsPreview(
  db: DbOrTx,
  accountId: string,
  draftId: string,
  opts: { mediaId?: string | null } = {},
): Promise<PreviewArticle[] | null> {
  const draft = await getDraft(db, accountId, draftId);
  if (!draft) return null;
  if (opts.mediaId) {
    const [u] = await db
      .select()
      .from(newsUploads)
      .where(and(eq(newsUploads.draftId, draftId), eq(newsUploads.mediaId, opts.mediaId)));
    if (u) {
      const thumbs = u.payload.map((p) => String(p.thumb_media_id ?? ""));
      const items = thumbs.length
        ? await db
            .select({ id: mediaItems.id, mediaId: mediaItems.mediaId })
            .from(mediaItems)
            .where(and(eq(mediaItems.accountId, accountId), inArray(mediaItems.mediaId, thumbs)))
        : [];
      return u.payload.map((p, i) => {
        const item = items.find((x) => x.mediaId === p.thumb_media_id);
        return {
          key: `${u.id}-${i}`,
          title: String(p.title ?? ""),
          author: String(p.author ?? ""),
          digest: String(p.digest ?? ""),
          coverUrl: item ? mediaFileUrl(accountId, item.id) : null,
          showCoverPic: p.show_cover_pic === 1,
          content: String(p.content ?? ""),
          contentSourceUrl: String(p.content_source_url ?? ""),
        };
      });
    }
  }
  return toPreviewArticles(draft.articles, (id) => mediaFileUrl(accountId, id));
}

/** One version of a news draft a campaign can send. */
export interface CampaignNewsVersion {
  version: number;
  /** It is the draft as it is now (it can be uploaded on the way if it has no media_id). */
  current: boolean;
  titles: string[];
  articleCount: number;
  /** A media_id still usable for sending (uploads last 3 days), or null. */
  mediaId: string | null;
  uploadedAt: Date | null;
  expiresAt: Date | null;
  /** What stops it being sent (sendIssues); empty when it can be sent. A live upload was already checked. */
  blockers: NewsBlocker[];
}

export interface CampaignNewsChoice {
  draftId: string;
  draftVersion: number;
  updatedAt: Date;
  /** The first article's cover, for a thumbnail. */
  coverUrl: string | null;
  /** Newest first: the current version, then older versions whose upload is still live. */
  versions: CampaignNewsVersion[];
}

/**
 * A media_id is used for sending only while it has this much life left, so a send of many
 * requests does not outlive it; an older one is uploaded again.
 */
export const NEWS_MEDIA_MARGIN_MS = 2 * 3600_000;

const isLive = (uploadedAt: Date, now = Date.now()) => uploadedAt.getTime() + NEWS_MEDIA_TTL_MS - NEWS_MEDIA_MARGIN_MS > now;

/** The compose form's news picker: every draft with the versions a campaign can send. */
export async function newsChoicesForCampaign(db: DbOrTx, accountId: string): Promise<CampaignNewsChoice[]> {
  const drafts = await db.select().from(newsDrafts).where(eq(newsDrafts.accountId, accountId)).orderBy(desc(newsDrafts.updatedAt)).limit(300);
  const ups = await uploadsOf(
    db,
    drafts.map((d) => d.id),
  );
  const issues = await sendIssues(
    db,
    accountId,
    drafts.map((d) => d.articles),
  );
  return drafts.map((d, k) => {
    const uploads = ups.get(d.id) ?? [];
    const liveOf = (v: number) => uploads.find((u) => u.version === v && isLive(u.uploadedAt));
    const cur = liveOf(d.version);
    const versions: CampaignNewsVersion[] = [
      {
        version: d.version,
        current: true,
        titles: d.articles.map((a) => a.title),
        articleCount: d.articles.length,
        mediaId: cur?.mediaId ?? null,
        uploadedAt: cur?.uploadedAt ?? null,
        expiresAt: cur?.expiresAt ?? null,
        blockers: cur ? [] : newsBlockers(issues[k]),
      },
    ];
    const seen = new Set([d.version]);
    for (const u of uploads) {
      if (seen.has(u.version) || !isLive(u.uploadedAt)) continue;
      seen.add(u.version);
      versions.push({
        version: u.version,
        current: false,
        titles: u.titles,
        articleCount: u.titles.length,
        mediaId: u.mediaId,
        uploadedAt: u.uploadedAt,
        expiresAt: u.expiresAt,
        blockers: [],
      });
    }
    versions.sort((a, b) => b.version - a.version);
    const cover = d.articles[0]?.coverId;
    return { draftId: d.id, draftVersion: d.version, updatedAt: d.updatedAt, coverUrl: cover ? mediaFileUrl(accountId, cover) : null, versions };
  });
}

/** The chosen version is neither the draft as it is now nor still on WeChat. */
export class NewsVersionGoneError extends Error {
  constructor(
    readonly version: number,
    readonly currentVersion: number | null,
  ) {
    super(`news version ${version} is no longer available`);
    this.name = "NewsVersionGoneError";
  }
}

/** What a campaign records of its news: the version's titles, and a live media_id if there is one. */
export async function describeNewsVersion(
  db: DbOrTx,
  accountId: string,
  draftId: string,
  version: number,
): Promise<{ titles: string[]; mediaId: string | null }> {
  const [draft] = await db
    .select()
    .from(newsDrafts)
    .where(and(eq(newsDrafts.accountId, accountId), eq(newsDrafts.id, draftId)));
  if (!draft) throw new NewsNotFoundError();
  const uploads = (await uploadsOf(db, [draftId])).get(draftId) ?? [];
  const live = uploads.find((u) => u.version === version && isLive(u.uploadedAt));
  if (version === draft.version) {
    // Not yet on WeChat: it will be uploaded on the way, so what would refuse that upload refuses now
    // (a campaign is not saved with a news that cannot be sent).
    if (!live) {
      const [issues] = await sendIssues(db, accountId, [draft.articles]);
      if (issues.length) throw new NewsValidationError(issues);
    }
    return { titles: draft.articles.map((a) => a.title.trim()), mediaId: live?.mediaId ?? null };
  }
  if (live) return { titles: live.titles, mediaId: live.mediaId };
  throw new NewsVersionGoneError(version, draft.version);
}

/**
 * The media_id to send a draft version with (preview and send): a live upload of that version, or
 * the current version uploaded now through uploadNewsVersion (which may make it the next version
 * when content images were rewritten: same articles, now on WeChat). An older version whose
 * upload has expired cannot be rebuilt and is refused with NewsVersionGoneError.
 */
export async function ensureNewsMedia(
  db: DbOrTx,
  actor: Actor,
  accountId: string,
  draftId: string,
  version: number,
  deps: NewsDeps = {},
): Promise<{ mediaId: string; version: number; titles: string[]; uploaded: boolean }> {
  const d = await describeNewsVersion(db, accountId, draftId, version);
  if (d.mediaId) return { mediaId: d.mediaId, version, titles: d.titles, uploaded: false };
  const r = await uploadNewsVersion(db, actor, accountId, draftId, { ...deps, expectVersion: version });
  return { mediaId: r.mediaId, version: r.version, titles: r.titles, uploaded: true };
}
