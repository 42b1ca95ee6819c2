import * as z from "zod/mini";
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

// zod/mini (the same checks, as functions): the editor validates in the browser too, where zod
// classic would add ~39 KB gzip (bench/README.md, "Pages' script").

const httpUrl = z.string().check(
  z.trim(),
  z.maxLength(SOURCE_URL_MAX),
  z.refine((v) => v === "" || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(v), { message: "rule.url" }),
);

/** One article as WeChat will take it (browser form and "Upload to WeChat" on the server). */
export const articleSchema = z.object({
  key: z.string().check(z.minLength(1), z.maxLength(40)),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(TITLE_MAX)),
  author: z.string().check(z.trim(), z.maxLength(AUTHOR_MAX)),
  digest: z.string().check(z.trim(), z.maxLength(DIGEST_MAX)),
  coverId: z.nullable(z.string().check(z.maxLength(64))).check(z.refine((v) => !!v, { message: "rule.coverRequired" })),
  showCoverPic: z.boolean(),
  content: z.string().check(
    z.refine(contentHasSubstance, { message: "rule.contentRequired" }),
    z.refine((v) => v.length < CONTENT_CHARS_LIMIT, { message: "rule.contentChars" }),
    z.refine((v) => utf8Bytes(v) < CONTENT_BYTES_LIMIT, { message: "rule.contentBytes" }),
  ),
  contentSourceUrl: httpUrl,
  needOpenComment: z.boolean(),
  onlyFansCanComment: z.boolean(),
});

const articleCount = () => [z.minLength(ARTICLES_MIN, { message: "rule.articlesMin" }), z.maxLength(ARTICLES_MAX, { message: "rule.articlesMax" })] as const;

export const newsSchema = z.object({
  articles: z.array(articleSchema).check(...articleCount()),
});
export type NewsFormValues = z.input<typeof newsSchema>;
export type ArticleValues = z.input<typeof articleSchema>;

/**
 * What a save accepts: the shape, 1–8 articles, and generous caps. A draft may break WeChat's rules
 * while it is being written (an over-long title is kept, not lost); upload checks `newsSchema`.
 */
export const draftArticleSchema = z.object({
  key: z.string().check(z.minLength(1), z.maxLength(40)),
  title: z.string().check(z.maxLength(1000)),
  author: z.string().check(z.maxLength(200)),
  digest: z.string().check(z.maxLength(2000)),
  coverId: z.nullable(z.string().check(z.maxLength(64))),
  showCoverPic: z.boolean(),
  content: z.string().check(z.maxLength(4 * 1024 * 1024)),
  contentSourceUrl: z.string().check(z.maxLength(SOURCE_URL_MAX * 2)),
  needOpenComment: z.boolean(),
  onlyFansCanComment: z.boolean(),
});
export const draftSaveSchema = z.object({
  accountId: z.string().check(z.minLength(1), z.maxLength(64)),
  draftId: z.string().check(z.minLength(1), z.maxLength(64)),
  baseVersion: z.number().check(z.int(), z.minimum(1)),
  articles: z.array(draftArticleSchema).check(...articleCount()),
  /** Save even though the draft changed since baseVersion (the person chose to keep theirs). */
  overwrite: z.optional(z.boolean()),
});
export type DraftSaveInput = z.input<typeof draftSaveSchema>;

// Apart from the schemas (the editor makes articles without loading zod); re-exported for the server.
export { emptyArticle, newArticleKey } from "./article";
