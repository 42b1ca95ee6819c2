"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { deleteSentAction } from "@/app/(console)/[accountId]/campaigns/actions";
import { refreshStatusAction } from "@/app/(console)/[accountId]/history/actions";
import { useHydrated } from "@/components/forms/use-hydrated";

export function SentActions({
  accountId,
  campaignId,
  deletable,
  articleCount,
  articleTitles = [],
  deletedArticles = [],
  sameMaterial,
}: {
  accountId: string;
  campaignId: string;
  deletable: boolean;
  articleCount: number;
  /** the news message's titles, in order (stored with the campaign or from its upload) */
  articleTitles?: string[];
  /** article_idx already deleted one by one */
  deletedArticles?: number[];
  sameMaterial: { id: string; name: string; startedAt?: string | null }[];
}) {
  const t = useTranslations("campaigns");
  const th = useTranslations("history.actions");
  const router = useRouter();
  const [idx, setIdx] = useState(0);
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  // An article picked before hydration was shown but not in state: the confirmation then offered to delete the whole message.
  const ready = useHydrated();
  const refresh = () =>
    start(async () => {
      const r = await refreshStatusAction({ accountId, campaignId });
      setMsg(r.ok ? { ok: true, text: t("statusRefreshed", { list: r.data.map((x) => `#${x.seq} ${x.status}`).join(", ") }) } : { ok: false, text: r.error });
      router.refresh();
    });
  const del = () =>
    start(async () => {
      const r = await deleteSentAction({ accountId, campaignId, articleIdx: idx });
      setMsg(r.ok ? { ok: true, text: t("deleted") } : { ok: false, text: r.error });
      router.refresh();
    });
  return (
    <div className="space-y-3">
      <fieldset disabled={!ready} className="flex min-w-0 flex-wrap items-end gap-3">
        <Button variant="secondary" disabled={pending} onClick={refresh}>
          {t("refreshStatus")}
        </Button>
        {deletable ? (
          <>
            <div>
              <Label htmlFor="delete-idx">{t("deleteWhat")}</Label>
              <Select id="delete-idx" value={idx} onChange={(e) => setIdx(Number(e.target.value))}>
                <option value={0}>{t("deleteAll")}</option>
                {Array.from({ length: Math.max(articleCount, articleTitles.length) }, (_, i) => {
                  const label = articleTitles[i] ? th("deleteArticleTitled", { n: i + 1, title: articleTitles[i] }) : t("deleteArticle", { n: i + 1 });
                  const gone = deletedArticles.includes(i + 1);
                  return (
                    <option key={i + 1} value={i + 1} disabled={gone}>
                      {gone ? `${label} · ${th("articleDeleted")}` : label}
                    </option>
                  );
                })}
              </Select>
            </div>
            <ConfirmDialog
              closeOnConfirm
              trigger={
                <Button variant="destructive" disabled={pending}>
                  {t("delete")}
                </Button>
              }
              title={t("deleteConfirmTitle")}
              description={t("deleteWarning")}
              cancelLabel={t("back")}
              confirmLabel={t("confirmDelete")}
              pending={pending}
              onConfirm={del}
            >
              <p className="mb-3 text-sm font-medium" data-testid="delete-target">
                {idx === 0
                  ? t("deleteAll")
                  : articleTitles[idx - 1]
                    ? th("deleteArticleTitled", { n: idx, title: articleTitles[idx - 1] })
                    : t("deleteArticle", { n: idx })}
              </p>
              {sameMaterial.length > 0 && (
                <div className="mb-3 text-sm">
                  <p className="font-medium">{t("deleteAlsoAffects")}</p>
                  <ul className="list-disc pl-5">
                    {sameMaterial.map((s) => (
                      <li key={s.id}>{s.startedAt ? th("alsoSentAt", { name: s.name, at: s.startedAt }) : s.name}</li>
                    ))}
                  </ul>
                </div>
              )}
            </ConfirmDialog>
          </>
        ) : (
          <p className="text-sm text-slate-600">{t("notDeletable")}</p>
        )}
      </fieldset>
      <div aria-live="polite">{msg && <Alert tone={msg.ok ? "success" : "error"}>{msg.text}</Alert>}</div>
    </div>
  );
}
