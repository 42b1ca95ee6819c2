"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";

export default function MediaError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("media");
  return (
    <Alert tone="error">
      <p className="font-medium">{t("loadFailed")}</p>
      {error.digest && <p className="mt-1 text-xs">{t("errorRef", { ref: error.digest })}</p>}
      <Button className="mt-3" variant="secondary" onClick={reset}>
        {t("retry")}
      </Button>
    </Alert>
  );
}
