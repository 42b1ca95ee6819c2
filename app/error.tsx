"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errors");
  return (
    <main id="main" className="mx-auto max-w-lg p-10" role="alert">
      <h1 className="text-2xl font-semibold">{t("errorTitle")}</h1>
      <p className="mt-2 text-slate-700">{t("errorBody")}</p>
      {error.digest && <p className="mt-1 text-xs text-slate-500">{t("errorRef", { ref: error.digest })}</p>}
      <Button className="mt-4" onClick={reset}>
        {t("retry")}
      </Button>
    </main>
  );
}
