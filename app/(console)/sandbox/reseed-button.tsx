"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { reseedSandboxAction } from "./actions";

/** Seed on demand, behind a confirmation: it empties every simulated inbox and job list. */
export function ReseedButton() {
  const t = useTranslations("sandbox");
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const reseed = () =>
    start(async () => {
      setError(null);
      const r = await reseedSandboxAction({ confirm: "reseed" });
      if (!r.ok) return setError(r.error);
      toast.success(t("reseeded"));
      router.refresh();
    });
  return (
    <div>
      {error && <Alert tone="error">{error}</Alert>}
      <ConfirmDialog
        closeOnConfirm
        trigger={
          <Button variant="destructive" disabled={pending}>
            {pending ? t("reseeding") : t("reseed")}
          </Button>
        }
        title={t("reseedConfirmTitle")}
        description={t("reseedWarning")}
        cancelLabel={t("back")}
        confirmLabel={t("reseedConfirm")}
        pending={pending}
        onConfirm={reseed}
      />
    </div>
  );
}
