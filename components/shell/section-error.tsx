"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";

/** The error state of a console section (its error.tsx): what failed, the reference, and a retry. */
export function SectionError({ namespace, error, reset }: { namespace: "media" | "news"; error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations(namespace);
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
