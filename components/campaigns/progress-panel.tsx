"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useTransition } from "react";
import type { Progress } from "@/lib/campaigns/progress";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { pauseAction, resumeAction, cancelAction } from "@/app/(console)/[accountId]/campaigns/actions";

/** Live progress while a campaign sends (polled), with pause, resume and cancel. */
export function ProgressPanel({ accountId, campaignId, initial, canPublish }: { accountId: string; campaignId: string; initial: Progress; canPublish: boolean }) {
  const t = useTranslations("campaigns");
  const router = useRouter();
  const [pending, start] = useTransition();
  const q = useQuery({
    queryKey: ["progress", campaignId],
    queryFn: async () => {
      const r = await fetch(`/${accountId}/campaigns/${campaignId}/progress`, { cache: "no-store" });
      if (!r.ok) throw new Error(String(r.status));
      return (await r.json()) as Progress;
    },
    initialData: initial,
    refetchInterval: (query) => (["sending", "paused", "submitted"].includes(query.state.data?.state ?? "") ? 1500 : false),
  });
  const p = q.data;
  const lastState = useRef(p.state);
  useEffect(() => {
    if (lastState.current !== p.state) {
      lastState.current = p.state;
      router.refresh();
    }
  }, [p.state, router]);
  const act = (fn: typeof pauseAction) => start(async () => void (await fn({ accountId, campaignId }), router.refresh()));
  const pct = p.batches.total ? Math.round((p.batches.submitted / p.batches.total) * 100) : 0;
  return (
    <div className="space-y-3">
      <div>
        <div className="mb-1 flex justify-between text-sm">
          <span>{t("batchesProgress", { done: p.batches.submitted, total: p.batches.total })}</span>
          <span>{pct}%</span>
        </div>
        <div role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={t("progress")} className="h-3 w-full rounded bg-slate-200">
          <div className="h-3 rounded bg-emerald-600" style={{ width: `${pct}%` }} />
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm md:grid-cols-4" aria-live="polite">
        <dt className="text-slate-600">{t("recipientsSubmitted")}</dt>
        <dd>
          {p.recipients.submitted.toLocaleString()}
          {p.recipients.total !== null ? ` / ${p.recipients.total.toLocaleString()}` : ""}
        </dd>
        <dt className="text-slate-600">{t("rate")}</dt>
        <dd>{t("perMinute", { n: p.ratePerMinute })}</dd>
        <dt className="text-slate-600">{t("eta")}</dt>
        <dd>{p.etaSeconds !== null ? t("etaSeconds", { s: p.etaSeconds }) : "—"}</dd>
        <dt className="text-slate-600">{t("failedBatches")}</dt>
        <dd>{p.batches.failed}</dd>
      </dl>
      {p.pausedReason && <Alert tone="warning">{t("pausedBecause", { reason: p.pausedReason })}</Alert>}
      {p.lastError && !p.pausedReason && <Alert tone="error">{t("lastError", { error: p.lastError })}</Alert>}
      {canPublish && (
        <div className="flex gap-2">
          {p.state === "sending" && (
            <Button variant="secondary" disabled={pending} onClick={() => act(pauseAction)}>
              {t("pause")}
            </Button>
          )}
          {p.state === "paused" && (
            <Button disabled={pending} onClick={() => act(resumeAction)}>
              {t("resume")}
            </Button>
          )}
          {(p.state === "sending" || p.state === "paused") && (
            <Button variant="destructive" disabled={pending} onClick={() => act(cancelAction)}>
              {t("cancel")}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
