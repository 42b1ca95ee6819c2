"use client";
import { useTranslations } from "next-intl";
import { Mic, Play, Ticket } from "lucide-react";
import { PhonePreview } from "@/components/news/phone-preview";
import type { MessageView } from "@/lib/history/detail";

/**
 * The sent message as the follower saw it: news as WeChat's chat card (and its article pages),
 * everything else as a chat bubble from the account.
 */
export function MessagePreview({ accountName, view }: { accountName: string; view: MessageView }) {
  const t = useTranslations("history.detail");
  if (view.type === "mpnews") return <PhonePreview accountName={accountName} articles={view.articles} />;
  return (
    <section
      aria-label={t("phone")}
      className="mx-auto w-[320px] overflow-hidden rounded-[2rem] border-8 border-slate-800 bg-slate-800 shadow-lg"
      data-testid="phone-preview"
    >
      <div className="flex h-10 items-center bg-slate-100 px-3 text-sm font-medium text-slate-900">
        <span className="truncate">{accountName}</span>
      </div>
      <div className="min-h-[240px] bg-[#ededed] p-3">
        <div className="flex items-start gap-2">
          <span aria-hidden className="flex h-9 w-9 flex-none items-center justify-center rounded bg-emerald-700 text-sm font-semibold text-white">
            {accountName.slice(0, 1)}
          </span>
          <div className="max-w-[230px] rounded-md bg-white px-3 py-2 text-[15px] leading-snug text-slate-900 shadow-sm" data-testid="chat-bubble">
            <Bubble view={view} />
          </div>
        </div>
      </div>
    </section>
  );
}

function Bubble({ view }: { view: Exclude<MessageView, { type: "mpnews" }> }) {
  const t = useTranslations("history.detail");
  switch (view.type) {
    case "text":
      return <p className="whitespace-pre-wrap break-words">{view.content}</p>;
    case "image":
      return view.imageUrl ? (
        // eslint-disable-next-line @next/next/no-img-element
        <img src={view.imageUrl} alt={t("imageAlt")} className="max-h-60 max-w-full rounded" />
      ) : (
        <p className="text-sm text-slate-700">{t("imageMissing", { mediaId: view.mediaId })}</p>
      );
    case "voice":
      return (
        <p className="flex items-center gap-2 text-sm">
          <Mic aria-hidden className="h-4 w-4" />
          {view.durationMs !== null ? t("voiceSeconds", { s: Math.max(1, Math.round(view.durationMs / 1000)) }) : t("voice")}
          {view.filename && <span className="text-xs text-slate-600">{view.filename}</span>}
        </p>
      );
    case "mpvideo":
      return (
        <div className="w-[200px]">
          <div className="flex h-24 items-center justify-center rounded bg-slate-900">
            <Play aria-hidden className="h-8 w-8 text-white" />
          </div>
          <p className="mt-2 font-medium">{view.title || t("video")}</p>
          {view.description && <p className="text-xs text-slate-700">{view.description}</p>}
        </div>
      );
    case "wxcard":
      return (
        <p className="flex items-center gap-2 text-sm">
          <Ticket aria-hidden className="h-4 w-4" />
          {t("card", { cardId: view.cardId })}
        </p>
      );
  }
}
