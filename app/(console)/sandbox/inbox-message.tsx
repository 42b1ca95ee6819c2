import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/card";

interface Msg {
  msgId: number;
  msgtype: string;
  body: Record<string, unknown>;
  preview: boolean;
  at: string;
  status: string;
}

/** One message as a WeChat chat bubble: news as a card (first article large), text, media as labels. */
export function InboxMessage({ m }: { m: Msg }) {
  const t = useTranslations("sandbox");
  const origin = String(m.body.origin ?? "");
  const articles = (m.body.articles as { title?: string; digest?: string; thumb_media_id?: string }[]) ?? [];
  return (
    <article className="max-w-[320px] rounded-lg bg-white p-3 shadow-sm" aria-label={t("messageLabel", { type: m.msgtype })}>
      <div className="mb-1 flex items-center gap-2 text-xs text-slate-500">
        <time dateTime={m.at}>{new Date(m.at).toLocaleString("zh-CN", { hour12: false })}</time>
        {m.preview && <Badge tone="amber">{t("preview")}</Badge>}
        {m.status === "DELETE" && <Badge tone="red">{t("deleted")}</Badge>}
      </div>
      {m.msgtype === "text" && <p className="whitespace-pre-wrap text-sm">{String(m.body.text ?? "")}</p>}
      {m.msgtype === "mpnews" && (
        <ul className="divide-y divide-slate-100">
          {articles.map((a, i) => (
            <li key={i} className={i === 0 ? "pb-2" : "py-2"}>
              <a className="block" href={`${origin}/sandbox-api/s/${m.msgId}/${i + 1}`} target="_blank" rel="noreferrer">
                {i === 0 && a.thumb_media_id && (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img src={`${origin}/sandbox-api/mmbiz/${a.thumb_media_id}`} alt="" className="mb-2 h-36 w-full rounded object-cover" />
                )}
                <span className={i === 0 ? "font-semibold" : "text-sm"}>{a.title}</span>
                {i === 0 && a.digest && <span className="block text-xs text-slate-600">{a.digest}</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
      {m.msgtype === "image" && <p className="text-sm">🖼 {t("image")}</p>}
      {m.msgtype === "voice" && <p className="text-sm">🔊 {t("voice")}</p>}
      {m.msgtype === "mpvideo" && (
        <p className="text-sm">
          🎬 {t("video")}: {String(m.body.title ?? "")}
        </p>
      )}
      {m.msgtype === "wxcard" && (
        <p className="text-sm">
          🎫 {t("card")}: {String(m.body.card ?? "")}
        </p>
      )}
    </article>
  );
}
