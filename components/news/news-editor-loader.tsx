"use client";
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import type { NewsEditorProps } from "./news-editor";

function Loading() {
  const t = useTranslations("news");
  return (
    <p role="status" aria-live="polite" className="p-6 text-slate-700">
      {t("loading")}
    </p>
  );
}

// The editor starts from this browser's saved copy when it is newer, so it renders in the browser.
const NewsEditor = dynamic(() => import("./news-editor").then((m) => m.NewsEditor), { ssr: false, loading: Loading });

export function NewsEditorLoader(p: NewsEditorProps) {
  return <NewsEditor {...p} />;
}
