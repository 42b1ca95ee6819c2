"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useCampaignLive } from "./campaign-live-provider";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { pauseAction, resumeAction, cancelAction } from "@/app/(console)/[accountId]/campaigns/actions";

/** Live progress while a campaign sends (CampaignLiveProvider polls it), with pause, resume and cancel. */
export function ProgressPanel({ accountId, campaignId, canPublish }: { accountId: string; campaignId: string; canPublish: boolean }) {
  const t = useTranslations("campaigns");
  const router = useRouter();
  const [pending, start] = useTransition();
  const p = useCampaignLive();
  const act = (fn: typeof pauseAction) => start(async () => void (await fn({ accountId, campaignId }), router.refresh()));
  const pct = p.counts.total ? Math.round((p.counts.submitted / p.counts.total) * 100) : 0;
  return (
    <div className="space-y-3">
      <div>
        <div className="mb-1 flex justify-between text-sm">
          <span>{t("batchesProgress", { done: p.counts.submitted, total: p.counts.total })}</span>
          <span>{pct}%</span>
        </div>
        <div
          role="progressbar"
          aria-valuenow={pct}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-label={t("progress")}
          className="h-3 w-full rounded bg-slate-200"
        >
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
        <dd>
          {p.etaSeconds !== null
            ? t("etaSeconds", { s: p.etaSeconds })
            : p.counts.pending > 0 && p.counts.submitted === 0 && (p.state === "sending" || p.state === "paused")
              ? t("etaWaitingFirst")
              : "—"}
        </dd>
        <dt className="text-slate-600">{t("failedBatches")}</dt>
        <dd>{p.counts.failed}</dd>
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
