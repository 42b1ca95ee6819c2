"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateField } from "@/components/ui/date-field";
import { Label } from "@/components/ui/field";
import { sendAction, unscheduleAction, cancelAction } from "@/app/(console)/[accountId]/campaigns/actions";
import { useHydrated } from "@/components/forms/use-hydrated";
import { fromZonedInput, parseDateTimeText } from "@/lib/i18n/time";

/** Send now or at a time in the account's zone, after a confirmation that repeats what will happen. */
/** `seen`: the fingerprint of the campaign this page shows; sending anything else is refused. */
export function SendPanel({
  accountId,
  campaignId,
  state,
  timeZone,
  summary,
  needsApproval,
  seen,
}: {
  accountId: string;
  campaignId: string;
  state: string;
  timeZone: string;
  summary: string;
  needsApproval: boolean;
  seen: string;
}) {
  const t = useTranslations("campaigns");
  const router = useRouter();
  const [pending, start] = useTransition();
  const [when, setWhen] = useState("");
  const [error, setError] = useState<string | null>(null);
  // A time typed before hydration was shown but not in state: "Schedule" stayed disabled beside it.
  const ready = useHydrated();
  // The typed time is wall time in the account's zone, not the browser's.
  const go = (scheduled: boolean) =>
    start(async () => {
      setError(null);
      const local = scheduled ? parseDateTimeText(when) : null;
      const at = local ? fromZonedInput(local, timeZone) : null;
      if (scheduled && !at) {
        // The field has said why when it was left (the click left it): take the person back to it.
        document.getElementById("schedule-at")?.focus();
        return;
      }
      const r = await sendAction({ accountId, campaignId, scheduledAt: at ? at.toISOString() : null, seen });
      if (!r.ok) setError(r.fieldErrors?.scheduledAt?.[0] ?? r.error);
      router.refresh();
    });
  const simple = (fn: typeof cancelAction) =>
    start(async () => {
      const r = await fn({ accountId, campaignId });
      if (!r.ok) setError(r.error);
      router.refresh();
    });
  if (state === "scheduled")
    return (
      <div className="flex flex-wrap gap-2">
        <fieldset disabled={!ready} className="flex min-w-0 flex-wrap gap-2">
          <Button variant="secondary" disabled={pending} onClick={() => simple(unscheduleAction)}>
            {t("unschedule")}
          </Button>
          <Button variant="destructive" disabled={pending} onClick={() => simple(cancelAction)}>
            {t("cancel")}
          </Button>
        </fieldset>
        {error && <Alert tone="error">{error}</Alert>}
      </div>
    );
  if (state !== "draft") return null;
  return (
    <div className="space-y-3">
      {needsApproval && <Alert tone="info">{t("needsApproval")}</Alert>}
      {/* A column, and the schedule button top-aligned beside its field: the field's message, shown
          when it is left with no valid time, must not move a button away from under the pointer. */}
      <fieldset disabled={!ready} className="min-w-0 space-y-3">
        <ConfirmDialog
          closeOnConfirm
          trigger={<Button disabled={pending}>{needsApproval ? t("requestSendNow") : t("sendNow")}</Button>}
          title={t("confirmTitle")}
          description={summary}
          cancelLabel={t("back")}
          confirmLabel={t("confirmSend")}
          confirmVariant="default"
          pending={pending}
          onConfirm={() => go(false)}
        />
        <div>
          <Label htmlFor="schedule-at">{t("scheduleAt", { zone: timeZone })}</Label>
          <div className="flex flex-wrap items-start gap-2">
            <DateField id="schedule-at" kind="datetime" value={when} onValueChange={setWhen} disabled={!ready} />
            <Button variant="secondary" disabled={pending || !when} onClick={() => go(true)}>
              {needsApproval ? t("requestSchedule") : t("schedule")}
            </Button>
          </div>
        </div>
        <Button variant="ghost" disabled={pending} onClick={() => simple(cancelAction)}>
          {t("discard")}
        </Button>
      </fieldset>
      <div aria-live="polite">{error && <Alert tone="error">{error}</Alert>}</div>
    </div>
  );
}
