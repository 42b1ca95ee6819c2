import type { ArticleValues } from "./schemas";

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
