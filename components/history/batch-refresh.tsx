"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { RefreshCw } from "lucide-react";
import { refreshStatusAction } from "@/app/(console)/[accountId]/history/actions";

/** message/mass/get for this one batch, from its row in the batches table. */
export function BatchRefresh({ accountId, campaignId, batchId, seq }: { accountId: string; campaignId: string; batchId: number; seq: number }) {
  const t = useTranslations("history.actions");
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-1">
      <button
        type="button"
        disabled={pending}
        className="rounded p-1 text-emerald-800 hover:bg-emerald-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600 disabled:opacity-50"
        aria-label={t("refreshBatch", { seq })}
        title={t("refreshBatch", { seq })}
        onClick={() =>
          start(async () => {
            const r = await refreshStatusAction({ accountId, campaignId, batchId });
            setError(r.ok ? null : r.error);
            router.refresh();
          })
        }
      >
        <RefreshCw aria-hidden className={pending ? "h-4 w-4 animate-spin" : "h-4 w-4"} />
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-800">
          {error}
        </span>
      )}
    </span>
  );
}
