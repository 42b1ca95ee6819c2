import { useLocale, useTranslations } from "next-intl";
import { DEFAULT_TIME_ZONE, formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import { Badge } from "@/components/ui/card";

interface Msg {
  msgId: number;
  msgtype: string;
  body: Record<string, unknown>;
  preview: boolean;
  at: string;
  status: string;
}

// Media are served by the console itself under /sandbox-api/mmbiz (the sandbox's mmbiz.qpic.cn),
// so a relative address works whatever origin the API call was made with.
const mediaUrl = (id: unknown) => `/sandbox-api/mmbiz/${encodeURIComponent(String(id))}`;

/**
 * One received message as a WeChat chat bubble: news as a card (first article with its cover,
 * the others as rows), text, images as pictures, voice as a voice bubble, video as a video card
 * with a player, and a card (卡券) as a coupon.
 */
export function InboxMessage({ m }: { m: Msg }) {
  const t = useTranslations("sandbox");
  const locale = toLocale(useLocale());
  const articles = (m.body.articles as { title?: string; digest?: string; thumb_media_id?: string }[]) ?? [];
  const images = ((m.body.images as unknown[]) ?? []).filter((x) => typeof x === "string") as string[];
  return (
    <article className="flex items-start gap-2" aria-label={t("messageLabel", { type: t(`types.${m.msgtype}` as never) })} data-msgtype={m.msgtype}>
      <div aria-hidden="true" className="mt-1 flex h-9 w-9 shrink-0 items-center justify-center rounded bg-emerald-600 text-sm font-semibold text-white">
        公
      </div>
      <div className="min-w-0 max-w-[280px]">
        <div className="mb-1 flex items-center gap-2 text-xs text-slate-600">
          <time dateTime={m.at}>{formatDateTimeZoned(m.at, DEFAULT_TIME_ZONE, locale)}</time>
          {m.preview && <Badge tone="amber">{t("preview")}</Badge>}
          {m.status === "DELETE" && <Badge tone="red">{t("deleted")}</Badge>}
        </div>
        {m.msgtype === "text" && <p className="whitespace-pre-wrap rounded-md bg-white px-3 py-2 text-sm shadow-sm">{String(m.body.text ?? "")}</p>}
        {m.msgtype === "mpnews" && (
          <ul className="divide-y divide-slate-100 overflow-hidden rounded-md bg-white shadow-sm">
            {articles.map((a, i) => (
              <li key={i}>
                <a className="block p-3 hover:bg-slate-50" href={`/sandbox-api/s/${m.msgId}/${i + 1}`} target="_blank" rel="noreferrer">
                  {i === 0 ? (
                    <>
                      {a.thumb_media_id && (
                        // eslint-disable-next-line @next/next/no-img-element
                        <img src={mediaUrl(a.thumb_media_id)} alt="" className="mb-2 h-36 w-full rounded object-cover" />
                      )}
                      <span className="font-semibold">{a.title}</span>
                      {a.digest && <span className="block text-xs text-slate-600">{a.digest}</span>}
                    </>
                  ) : (
                    <span className="flex items-center justify-between gap-2">
                      <span className="text-sm">{a.title}</span>
                      {a.thumb_media_id && (
                        // eslint-disable-next-line @next/next/no-img-element
                        <img src={mediaUrl(a.thumb_media_id)} alt="" className="h-10 w-10 shrink-0 rounded object-cover" />
                      )}
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        )}
        {m.msgtype === "image" && (
          <div className="grid gap-1">
            {images.map((id, i) => (
              <a key={id + i} href={mediaUrl(id)} target="_blank" rel="noreferrer">
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img
                  src={mediaUrl(id)}
                  alt={t("imageAlt", { n: i + 1 })}
                  className="max-h-60 max-w-[220px] rounded-md border border-slate-200 bg-white object-contain"
                  data-testid="inbox-image"
                />
              </a>
            ))}
          </div>
        )}
        {m.msgtype === "voice" && (
          <div className="inline-flex min-w-[120px] items-center gap-2 rounded-md bg-white px-3 py-2 shadow-sm">
            <span aria-hidden="true">🔊</span>
            <span className="text-sm">{t("voice")}</span>
            <audio controls preload="none" src={mediaUrl(m.body.voice)} className="h-8 max-w-[160px]" aria-label={t("voicePlay")} />
          </div>
        )}
        {m.msgtype === "mpvideo" && (
          <figure className="overflow-hidden rounded-md bg-white shadow-sm">
            {m.body.videoFile ? (
              <video
                controls
                preload="none"
                src={mediaUrl(m.body.videoFile)}
                className="aspect-video w-full bg-black"
                aria-label={t("videoPlay", { title: String(m.body.title ?? "") })}
              />
            ) : (
              <div aria-hidden="true" className="flex aspect-video w-full items-center justify-center bg-slate-800 text-3xl text-white">
                ▶
              </div>
            )}
            <figcaption className="p-3">
              <span className="block font-semibold">{String(m.body.title ?? "") || t("video")}</span>
              {Boolean(m.body.description) && <span className="block text-xs text-slate-600">{String(m.body.description)}</span>}
            </figcaption>
          </figure>
        )}
        {m.msgtype === "wxcard" && (
          <div className="overflow-hidden rounded-md bg-white shadow-sm">
            <div className="flex items-center gap-3 bg-orange-600 p-3 text-white">
              <span aria-hidden="true" className="text-2xl">
                🎫
              </span>
              <span className="font-semibold">{t("card")}</span>
            </div>
            <p className="px-3 py-2 text-xs text-slate-600">
              {t("cardId")}: <span className="font-mono">{String(m.body.card ?? "")}</span>
            </p>
          </div>
        )}
      </div>
    </article>
  );
}
