"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
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
      <Dialog>
        <DialogTrigger asChild>
          <Button variant="destructive" disabled={pending}>
            {pending ? t("reseeding") : t("reseed")}
          </Button>
        </DialogTrigger>
        <DialogContent title={t("reseedConfirmTitle")} description={t("reseedWarning")}>
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">{t("back")}</Button>
            </DialogClose>
            <DialogClose asChild>
              <Button variant="destructive" onClick={reseed}>
                {t("reseedConfirm")}
              </Button>
            </DialogClose>
          </div>
        </DialogContent>
      </Dialog>
    </div>
  );
}
