"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
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
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="ghost" size="sm" aria-label={t("deleteNamed", { title })}>
          {t("delete")}
        </Button>
      }
      title={t("deleteTitle", { title })}
      description={t("deleteBody")}
      cancelLabel={t("cancel")}
      confirmLabel={t("delete")}
      pending={pending}
      onConfirm={() =>
        start(async () => {
          const r = await deleteDraftAction({ accountId, draftId });
          if (r.ok) {
            setOpen(false);
            toast.success(t("deleted"));
            router.refresh();
          } else toast.error(r.error);
        })
      }
    />
  );
}
