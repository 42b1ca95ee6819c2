import type { NewsArticle } from "@/db/schema/news";

/**
 * What the phone preview shows of one article. The campaign page builds the same shape from a
 * draft (toPreviewArticles) and renders components/news/phone-preview.tsx with it.
 */
export interface PreviewArticle {
  key: string;
  title: string;
  author: string;
  digest: string;
  coverUrl: string | null;
  showCoverPic: boolean;
  /** Raw article HTML; the preview sanitizes it before rendering. */
  content: string;
  contentSourceUrl: string;
}

/** Where the console serves a library item's bytes (a cover) to signed-in people. */
export function mediaFileUrl(accountId: string, mediaItemId: string): string {
  return `/${accountId}/media/${mediaItemId}/file`;
}

export function toPreviewArticles(
  articles: Pick<NewsArticle, "key" | "title" | "author" | "digest" | "coverId" | "showCoverPic" | "content" | "contentSourceUrl">[],
  coverUrl: (coverId: string) => string | null,
): PreviewArticle[] {
  return articles.map((a) => ({
    key: a.key,
    title: a.title,
    author: a.author,
    digest: a.digest,
    coverUrl: a.coverId ? coverUrl(a.coverId) : null,
    showCoverPic: a.showCoverPic,
    content: a.content,
    contentSourceUrl: a.contentSourceUrl,
  }));
}

/** WeChat shows the first article's digest, or the start of its text when there is none. */
export function digestOf(a: Pick<PreviewArticle, "digest" | "content">): string {
  if (a.digest.trim()) return a.digest.trim();
  return a.content
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 54);
}
