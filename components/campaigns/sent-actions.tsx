"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Select } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { deleteSentAction, refreshStatusAction } from "@/app/(console)/[accountId]/campaigns/actions";

export function SentActions({
  accountId,
  campaignId,
  deletable,
  articleCount,
  sameMaterial,
}: {
  accountId: string;
  campaignId: string;
  deletable: boolean;
  articleCount: number;
  sameMaterial: { id: string; name: string }[];
}) {
  const t = useTranslations("campaigns");
  const router = useRouter();
  const [idx, setIdx] = useState(0);
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
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
      <div className="flex flex-wrap items-end gap-3">
        <Button variant="secondary" disabled={pending} onClick={refresh}>
          {t("refreshStatus")}
        </Button>
        {deletable ? (
          <>
            <div>
              <Label htmlFor="delete-idx">{t("deleteWhat")}</Label>
              <Select id="delete-idx" value={idx} onChange={(e) => setIdx(Number(e.target.value))}>
                <option value={0}>{t("deleteAll")}</option>
                {Array.from({ length: articleCount }, (_, i) => (
                  <option key={i + 1} value={i + 1}>
                    {t("deleteArticle", { n: i + 1 })}
                  </option>
                ))}
              </Select>
            </div>
            <Dialog>
              <DialogTrigger asChild>
                <Button variant="destructive" disabled={pending}>
                  {t("delete")}
                </Button>
              </DialogTrigger>
              <DialogContent title={t("deleteConfirmTitle")} description={t("deleteWarning")}>
                {sameMaterial.length > 0 && (
                  <div className="mb-3 text-sm">
                    <p className="font-medium">{t("deleteAlsoAffects")}</p>
                    <ul className="list-disc pl-5">
                      {sameMaterial.map((s) => (
                        <li key={s.id}>{s.name}</li>
                      ))}
                    </ul>
                  </div>
                )}
                <div className="flex justify-end gap-2">
                  <DialogClose asChild>
                    <Button variant="secondary">{t("back")}</Button>
                  </DialogClose>
                  <DialogClose asChild>
                    <Button variant="destructive" onClick={del}>
                      {t("confirmDelete")}
                    </Button>
                  </DialogClose>
                </div>
              </DialogContent>
            </Dialog>
          </>
        ) : (
          <p className="text-sm text-slate-600">{t("notDeletable")}</p>
        )}
      </div>
      <div aria-live="polite">{msg && <Alert tone={msg.ok ? "success" : "error"}>{msg.text}</Alert>}</div>
    </div>
  );
}
