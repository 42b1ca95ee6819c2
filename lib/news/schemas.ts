import { z } from "zod";
import {
  ARTICLES_MAX,
  ARTICLES_MIN,
  AUTHOR_MAX,
  CONTENT_BYTES_LIMIT,
  CONTENT_CHARS_LIMIT,
  contentHasSubstance,
  DIGEST_MAX,
  SOURCE_URL_MAX,
  TITLE_MAX,
  utf8Bytes,
} from "./limits";

/**
 * Messages that are keys (`rule.*`) are translated from the `news` catalog; the others come from
 * zodErrorMap and name the limit ("最多 64 个字符").
 */
export const NEWS_RULE_PREFIX = "rule.";

const httpUrl = z
  .string()
  .trim()
  .max(SOURCE_URL_MAX)
  .refine((v) => v === "" || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(v), { message: "rule.url" });

/** One article as WeChat will take it (browser form and "Upload to WeChat" on the server). */
export const articleSchema = z.object({
  key: z.string().min(1).max(40),
  title: z.string().trim().min(1).max(TITLE_MAX),
  author: z.string().trim().max(AUTHOR_MAX),
  digest: z.string().trim().max(DIGEST_MAX),
  coverId: z
    .string()
    .max(64)
    .nullable()
    .refine((v) => !!v, { message: "rule.coverRequired" }),
  showCoverPic: z.boolean(),
  content: z
    .string()
    .refine(contentHasSubstance, { message: "rule.contentRequired" })
    .refine((v) => v.length < CONTENT_CHARS_LIMIT, { message: "rule.contentChars" })
    .refine((v) => utf8Bytes(v) < CONTENT_BYTES_LIMIT, { message: "rule.contentBytes" }),
  contentSourceUrl: httpUrl,
  needOpenComment: z.boolean(),
  onlyFansCanComment: z.boolean(),
});

export const newsSchema = z.object({
  articles: z.array(articleSchema).min(ARTICLES_MIN, { message: "rule.articlesMin" }).max(ARTICLES_MAX, { message: "rule.articlesMax" }),
});
export type NewsFormValues = z.input<typeof newsSchema>;
export type ArticleValues = z.input<typeof articleSchema>;

/**
 * What a save accepts: the shape, 1–8 articles, and generous caps. A draft may break WeChat's rules
 * while it is being written (an over-long title is kept, not lost); upload checks `newsSchema`.
 */
export const draftArticleSchema = z.object({
  key: z.string().min(1).max(40),
  title: z.string().max(1000),
  author: z.string().max(200),
  digest: z.string().max(2000),
  coverId: z.string().max(64).nullable(),
  showCoverPic: z.boolean(),
  content: z.string().max(4 * 1024 * 1024),
  contentSourceUrl: z.string().max(SOURCE_URL_MAX * 2),
  needOpenComment: z.boolean(),
  onlyFansCanComment: z.boolean(),
});
export const draftSaveSchema = z.object({
  accountId: z.string().min(1).max(64),
  draftId: z.string().min(1).max(64),
  baseVersion: z.number().int().min(1),
  articles: z.array(draftArticleSchema).min(ARTICLES_MIN, { message: "rule.articlesMin" }).max(ARTICLES_MAX, { message: "rule.articlesMax" }),
  /** Save even though the draft changed since baseVersion (the person chose to keep theirs). */
  overwrite: z.boolean().optional(),
});
export type DraftSaveInput = z.input<typeof draftSaveSchema>;

export function newArticleKey(): string {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4);
}

export function emptyArticle(): ArticleValues {
  return {
    key: newArticleKey(),
    title: "",
    author: "",
    digest: "",
    coverId: null,
    showCoverPic: false,
    content: "<p></p>",
    contentSourceUrl: "",
    needOpenComment: false,
    onlyFansCanComment: false,
  };
}
