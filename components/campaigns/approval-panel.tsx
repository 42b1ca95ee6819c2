"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { decideAction } from "@/app/(console)/[accountId]/campaigns/actions";
import { useHydrated } from "@/components/forms/use-hydrated";

/** `seen`: the fingerprint of the campaign this page shows; an approval of anything else is refused. */
export function ApprovalPanel({
  accountId,
  campaignId,
  requester,
  isRequester,
  seen,
}: {
  accountId: string;
  campaignId: string;
  requester: string;
  isRequester: boolean;
  seen: string;
}) {
  const t = useTranslations("campaigns");
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  // A comment typed before hydration was shown but not in state: the decision was stored without it.
  const ready = useHydrated();
  const decide = (approve: boolean) =>
    start(async () => {
      setError(null);
      const r = await decideAction({ accountId, campaignId, approve, comment, seen });
      if (!r.ok) setError(r.error);
      router.refresh();
    });
  return (
    <div className="space-y-3">
      <p className="text-sm">{t("awaitingApproval", { name: requester })}</p>
      {isRequester && <Alert tone="info">{t("cannotSelfApprove")}</Alert>}
      <fieldset disabled={!ready} className="min-w-0 space-y-3">
        <Field id="approval-comment" label={t("comment")}>
          <Textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Field>
        <div className="flex gap-2">
          <Button disabled={pending} onClick={() => decide(true)}>
            {t("approve")}
          </Button>
          <Button variant="destructive" disabled={pending} onClick={() => decide(false)}>
            {t("reject")}
          </Button>
        </div>
      </fieldset>
      <div aria-live="polite">{error && <Alert tone="error">{error}</Alert>}</div>
    </div>
  );
}
