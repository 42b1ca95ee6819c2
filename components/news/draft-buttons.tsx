"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { createDraftAction, deleteDraftAction } from "@/app/(console)/[accountId]/news/actions";

export function NewDraftButton({ accountId }: { accountId: string }) {
  const t = useTranslations("news");
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      disabled={pending}
      onClick={() =>
        start(async () => {
          const r = await createDraftAction({ accountId });
          if (r.ok) router.push(`/${accountId}/news/${r.data.id}`);
          else toast.error(r.error);
        })
      }
    >
      <Plus aria-hidden className="h-4 w-4" />
      {t("new")}
    </Button>
  );
}

export function DeleteDraftButton({ accountId, draftId, title }: { accountId: string; draftId: string; title: string }) {
  const t = useTranslations("news");
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={t("deleteNamed", { title })}>
          {t("delete")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("deleteTitle", { title })} description={t("deleteBody")}>
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">{t("cancel")}</Button>
          </DialogClose>
          <Button
            variant="destructive"
            disabled={pending}
            onClick={() =>
              start(async () => {
                const r = await deleteDraftAction({ accountId, draftId });
                if (r.ok) {
                  setOpen(false);
                  toast.success(t("deleted"));
                  router.refresh();
                } else toast.error(r.error);
              })
            }
          >
            {t("delete")}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
