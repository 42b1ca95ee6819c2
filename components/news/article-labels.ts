"use client";
import { useTranslations } from "next-intl";
import type { FieldLabels } from "@/components/forms/use-server-form";

const ARTICLE_FIELDS = [
  "title",
  "author",
  "digest",
  "content",
  "contentSourceUrl",
  "coverId",
  "thumbMediaId",
  "showCoverPic",
  "needOpenComment",
  "onlyFansCanComment",
  "key",
] as const;

/**
 * The words for one field of one article of a news message ("第 1 篇文章的标题"), by the error path
 * the server answers with (`articles.0.title`): a refusal names the article and the field as the
 * editor shows them, never the path.
 */
export function useArticleLabels(): FieldLabels {
  const t = useTranslations("news");
  const labels: FieldLabels = { articles: t("articles") };
  for (const f of ARTICLE_FIELDS) labels[`articles.#.${f}`] = ([i]) => t("articleField", { n: (i ?? 0) + 1, field: t(`fieldPlain.${f}`) });
  return labels;
}
