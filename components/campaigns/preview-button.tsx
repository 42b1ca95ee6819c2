"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TechnicalDetails } from "@/components/ui/technical-details";
import type { ActionResult } from "@/lib/auth/action-types";
import { previewSavedAction } from "@/app/(console)/[accountId]/campaigns/actions";

/** Where "Preview on my WeChat" goes, or why it cannot (lib/users/preview-target.ts decides). */
export type PreviewGate = { ok: true; to: string } | { ok: false; reason: "none" } | { ok: false; reason: "unconfirmed"; value: string };

export interface PreviewAnswer {
  msgId: string | null;
  to: string | null;
  previewsLeft: number;
  uploadedMediaId: string | null;
}

/**
 * "Preview on my WeChat": one click, then the result and the account's previews left today,
 * announced to screen readers. `run` returns null when the form refused before asking the server.
 * When it cannot be used, why (no WeChat ID in the profile, or one not confirmed yet) is said once,
 * beside the disabled button, with the way to the profile.
 */
export function PreviewButton({
  gate,
  run,
  onRefused,
}: {
  gate: PreviewGate;
  run: () => Promise<ActionResult<PreviewAnswer> | null>;
  onRefused?: (error: string, fieldErrors: Record<string, string[]>) => string | void;
}) {
  const t = useTranslations("campaigns");
  const router = useRouter();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; text: string; tech?: [string, string][] } | null>(null);
  const click = () =>
    start(async () => {
      const r = await run();
      if (!r) return;
      if (!r.ok) {
        // The page may name what the refusal is about (which article, which field) in its words.
        setResult({ ok: false, text: onRefused?.(r.error, r.fieldErrors ?? {}) || r.error });
        return;
      }
      const parts = [
        r.data.uploadedMediaId ? t("newsUploadedNow") : null,
        t("previewSent", { to: r.data.to ?? "" }),
        t("previewsLeftToday", { left: r.data.previewsLeft }),
      ];
      // WeChat's ids for those who trace a preview, behind 「技术详情」.
      setResult({
        ok: true,
        text: parts.filter(Boolean).join(" "),
        tech: [
          ["msg_id", r.data.msgId ?? ""],
          ["media_id", r.data.uploadedMediaId ?? ""],
        ],
      });
      // The page's "previews left" and the news picker's upload state change with it.
      router.refresh();
    });
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button type="button" variant="secondary" onClick={click} disabled={pending || !gate.ok} aria-describedby={gate.ok ? undefined : "preview-gate"}>
        {pending ? t("previewing") : t("previewOnMyWechat")}
      </Button>
      {gate.ok ? (
        <span className="text-xs text-slate-600">{t("previewTo", { to: gate.to })}</span>
      ) : (
        <span id="preview-gate" className="text-xs text-slate-700" data-testid="preview-gate">
          {gate.reason === "none" ? t("previewGate.none") : t("previewGate.unconfirmed", { id: gate.value })}{" "}
          <Link href="/profile" className="text-emerald-800 underline">
            {gate.reason === "none" ? t("previewTargetLink.profile") : t("previewGate.profileLink")}
          </Link>
        </span>
      )}
      <div aria-live="polite" className="w-full" data-testid="preview-result">
        {result && (
          <Alert tone={result.ok ? "success" : "error"}>
            {result.text}
            {result.tech && <TechnicalDetails className="mt-1" label={t("technical")} rows={result.tech} />}
          </Alert>
        )}
      </div>
    </div>
  );
}

/** The button for a saved campaign as stored (e.g. for an approver before approving). */
export function SavedCampaignPreview({ accountId, campaignId, gate }: { accountId: string; campaignId: string; gate: PreviewGate }) {
  return <PreviewButton gate={gate} run={() => previewSavedAction({ accountId, campaignId })} />;
}
