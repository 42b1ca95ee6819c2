"use client";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { testConnectionAction } from "../actions";

export function TestConnection({ id }: { id: string }) {
  const t = useTranslations("accounts");
  const router = useRouter();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  return (
    <div className="space-y-3">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await testConnectionAction({ id });
            setResult(r.ok ? r.data : { ok: false, message: r.error });
            router.refresh();
          })
        }
      >
        {pending ? t("testing") : t("testConnection")}
      </Button>
      <p className="text-sm text-slate-600">{t("urlSecrets.testUsesSaved")}</p>
      <div aria-live="polite">{result && <Alert tone={result.ok ? "success" : "error"}>{result.message}</Alert>}</div>
    </div>
  );
}
