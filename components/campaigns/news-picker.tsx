"use client";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { DEFAULT_TIME_ZONE, formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import type { NewsBlocker } from "@/lib/news/news-service";

/** A news draft version the compose form can send (CampaignNewsChoice, serialised for the client). */
export interface NewsPickerChoice {
  draftId: string;
  coverUrl: string | null;
  versions: {
    version: number;
    current: boolean;
    titles: string[];
    articleCount: number;
    mediaId: string | null;
    expiresAt: string | null;
    /** What stops it being sent, by the send path's own rule (sendIssues); empty when it can be sent. */
    blockers: NewsBlocker[];
  }[];
}

/** The reasons a version cannot be sent, in words: 「第 2、3 篇缺封面；第 1 篇缺标题」. */
function useBlockerText(): (blockers: NewsBlocker[]) => string {
  const t = useTranslations("campaigns");
  const tn = useTranslations("news");
  const locale = toLocale(useLocale());
  const list = (ns: number[]) => (locale === "en" ? new Intl.ListFormat("en", { type: "conjunction" }).format(ns.map(String)) : ns.join("、"));
  return (blockers) =>
    t("newsBlocked.lead", {
      reasons: blockers
        .map((b) =>
          b.kind === "articleCount"
            ? t("newsBlocked.articleCount")
            : t(`newsBlocked.${b.kind}`, {
                list: list(b.articles),
                count: b.articles.length,
                field: (b.kind === "invalid" || b.kind === "tooLong") && tn.has(`fieldPlain.${b.field}`) ? tn(`fieldPlain.${b.field}`) : "",
                max: b.kind === "tooLong" ? b.max : 0,
              }),
        )
        .join(locale === "en" ? "; " : "；"),
    });
}

/**
 * The account's news drafts and their versions as one radio group: cover, first title, article
 * count, version, on WeChat or not. Radios keep keyboard use native (arrows move the choice).
 */
export function NewsPicker({
  accountId,
  choices,
  value,
  onChange,
  error,
  timeZone = DEFAULT_TIME_ZONE,
}: {
  accountId: string;
  /** The account's zone: the upload's expiry is shown in it. */
  timeZone?: string;
  choices: NewsPickerChoice[];
  value: { draftId: string; version: number } | null;
  onChange: (v: { draftId: string; version: number }) => void;
  error?: string;
}) {
  const t = useTranslations("campaigns");
  const locale = useLocale();
  const fmt = (iso: string) => formatDateTimeZoned(iso, timeZone, toLocale(locale));
  const errorId = error ? "message-newsDraftId-error" : undefined;
  const blockerText = useBlockerText();
  return (
    <fieldset className="min-w-0 space-y-2" aria-describedby={["message-newsDraftId-hint", errorId].filter(Boolean).join(" ")}>
      <legend className="text-sm font-medium">{t("newsDraft")}</legend>
      <p id="message-newsDraftId-hint" className="text-xs text-slate-600">
        {t("newsDraftHint")}
      </p>
      {choices.length === 0 ? (
        <p className="text-sm">
          {t("newsNone")}{" "}
          <Link className="text-emerald-800 underline" href={`/${accountId}/news`}>
            {t("newsMake")}
          </Link>
        </p>
      ) : (
        <ul className="max-h-96 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-1 contain-inline-size">
          {choices.flatMap((c) =>
            c.versions.map((v) => {
              const id = `news-${c.draftId}-${v.version}`;
              const checked = value?.draftId === c.draftId && value.version === v.version;
              const title = v.titles[0]?.trim() || t("newsUntitled");
              const blocked = v.blockers.length > 0;
              const reasonId = `${id}-blocked`;
              return (
                <li key={id}>
                  <label
                    htmlFor={id}
                    className={`flex items-center gap-3 rounded-md p-2 text-sm ${blocked ? "cursor-not-allowed" : "cursor-pointer"} ${checked ? (blocked ? "bg-red-50 ring-1 ring-red-600" : "bg-emerald-50 ring-1 ring-emerald-600") : blocked ? "" : "hover:bg-slate-50"}`}
                  >
                    <input
                      id={id}
                      type="radio"
                      name="message-news-choice"
                      value={`${c.draftId}:${v.version}`}
                      checked={checked}
                      disabled={blocked}
                      aria-describedby={blocked ? reasonId : undefined}
                      onChange={() => onChange({ draftId: c.draftId, version: v.version })}
                    />
                    {c.coverUrl && v.current ? (
                      // eslint-disable-next-line @next/next/no-img-element -- a small thumbnail of the account's own media file
                      <img src={c.coverUrl} alt="" className={`h-10 w-16 shrink-0 rounded object-cover ${blocked ? "opacity-60" : ""}`} />
                    ) : (
                      <span aria-hidden className="h-10 w-16 shrink-0 rounded bg-slate-100" />
                    )}
                    <span className="min-w-0 flex-1">
                      <span className={`block truncate font-medium ${blocked ? "text-slate-600" : ""}`}>{t("newsChoiceTitle", { title })}</span>
                      <span className="block text-xs text-slate-600">
                        {t("newsChoiceMeta", { count: v.articleCount, version: v.version })}
                        {v.current ? ` · ${t("newsCurrent")}` : ""}
                        {/* "Uploaded when previewed or sent" is not said of a version that cannot be sent. */}
                        {blocked ? "" : ` · ${v.mediaId && v.expiresAt ? t("newsUploaded", { until: fmt(v.expiresAt) }) : t("newsNotUploaded")}`}
                      </span>
                    </span>
                  </label>
                  {blocked && (
                    <p className="pb-2 pl-9 pr-2 text-xs text-red-800" data-testid="news-blocked">
                      <span id={reasonId}>{blockerText(v.blockers)}</span>{" "}
                      <Link className="font-medium text-emerald-800 underline" href={`/${accountId}/news/${c.draftId}`}>
                        {t("newsBlocked.open")}
                      </Link>
                    </p>
                  )}
                </li>
              );
            }),
          )}
        </ul>
      )}
      {error && (
        <p id={errorId} className="text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
