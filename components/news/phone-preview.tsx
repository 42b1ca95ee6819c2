"use client";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { ChevronLeft } from "lucide-react";
import { sanitizeForPreview } from "@/lib/news/html";
import { digestOf, type PreviewArticle } from "@/lib/news/preview";
import { cn } from "@/lib/utils";
import { IsolatedArticle } from "./isolated-article";

export type { PreviewArticle } from "@/lib/news/preview";
export { toPreviewArticles, mediaFileUrl } from "@/lib/news/preview";

/**
 * A phone-sized WeChat view of a news message: the chat card (first article large with its cover,
 * the rest as rows) and, on click, the article page. Article HTML is sanitized before it is
 * rendered, so nothing in an article can run in the console, and shown isolated from the page
 * (IsolatedArticle), so nothing in it can cover the console. Pure: give it the articles.
 */
export function PhonePreview({ accountName, articles, className }: { accountName: string; articles: PreviewArticle[]; className?: string }) {
  const t = useTranslations("news");
  const [open, setOpen] = useState<string | null>(null);
  const current = articles.find((a) => a.key === open) ?? null;
  return (
    <section
      aria-label={t("preview.label")}
      className={cn("mx-auto w-[320px] overflow-hidden rounded-[2rem] border-8 border-slate-800 bg-slate-800 shadow-lg", className)}
      data-testid="phone-preview"
    >
      <div className="flex h-10 items-center gap-2 bg-slate-100 px-3 text-sm font-medium text-slate-900">
        {current ? (
          <button
            type="button"
            onClick={() => setOpen(null)}
            className="flex items-center gap-1 rounded px-1 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            <ChevronLeft aria-hidden className="h-4 w-4" />
            {t("preview.back")}
          </button>
        ) : null}
        <span className="truncate">{accountName}</span>
      </div>
      <div className="h-[560px] overflow-y-auto bg-[#ededed]">
        {current ? <ArticlePage article={current} accountName={accountName} /> : <ChatCard articles={articles} onOpen={setOpen} />}
      </div>
    </section>
  );
}

function ChatCard({ articles, onOpen }: { articles: PreviewArticle[]; onOpen: (key: string) => void }) {
  const t = useTranslations("news");
  if (articles.length === 0) return <p className="p-4 text-sm text-slate-700">{t("preview.empty")}</p>;
  const [first, ...rest] = articles;
  return (
    <div className="p-3">
      <ul className="overflow-hidden rounded-md bg-white" aria-label={t("preview.card")}>
        <li>
          <button
            type="button"
            onClick={() => onOpen(first.key)}
            className="relative block w-full text-left focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
            data-testid="preview-article"
          >
            <div className="relative h-36 w-full bg-slate-300">
              {first.coverUrl && (
                // eslint-disable-next-line @next/next/no-img-element
                <img src={first.coverUrl} alt="" className="h-full w-full object-cover" />
              )}
              <span className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/80 to-transparent px-3 pb-2 pt-6 text-[15px] font-medium leading-snug text-white">
                {first.title || t("untitled")}
              </span>
            </div>
            {rest.length === 0 && <span className="block px-3 py-2 text-xs text-slate-700">{digestOf(first)}</span>}
          </button>
        </li>
        {rest.map((a) => (
          <li key={a.key} className="border-t border-slate-200">
            <button
              type="button"
              onClick={() => onOpen(a.key)}
              className="flex w-full items-center gap-3 px-3 py-2 text-left focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
              data-testid="preview-article"
            >
              <span className="flex-1 text-sm leading-snug text-slate-900">{a.title || t("untitled")}</span>
              <span className="h-12 w-12 flex-none overflow-hidden bg-slate-200">
                {a.coverUrl && (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img src={a.coverUrl} alt="" className="h-full w-full object-cover" />
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ArticlePage({ article, accountName }: { article: PreviewArticle; accountName: string }) {
  const t = useTranslations("news");
  const html = useMemo(() => sanitizeForPreview(article.content), [article.content]);
  return (
    <article className="min-h-full bg-white px-4 py-5 text-slate-900" data-testid="preview-page">
      <h2 className="text-xl font-semibold leading-snug">{article.title || t("untitled")}</h2>
      <p className="mt-2 text-xs text-slate-700">
        {article.author && <span className="mr-2">{article.author}</span>}
        <span className="text-[#576b95]">{accountName}</span>
      </p>
      {article.showCoverPic && article.coverUrl && (
        // eslint-disable-next-line @next/next/no-img-element
        <img src={article.coverUrl} alt="" className="mt-4 w-full" />
      )}
      <IsolatedArticle className="mt-4" html={html} testId="preview-content" />
      {article.contentSourceUrl && <p className="mt-6 text-sm text-[#576b95]">{t("preview.readOriginal")}</p>}
    </article>
  );
}
