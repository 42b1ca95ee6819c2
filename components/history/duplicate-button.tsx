"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Copy } from "lucide-react";
import { Button } from "@/components/ui/button";
import { duplicateAction } from "@/app/(console)/[accountId]/history/actions";

/** "Duplicate as a new draft": opens the copy, ready to edit (e.g. another audience) and send. */
export function DuplicateButton({ accountId, campaignId }: { accountId: string; campaignId: string }) {
  const t = useTranslations("history.actions");
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await duplicateAction({ accountId, campaignId });
            if (r.ok) router.push(`/${accountId}/campaigns/${r.data.id}`);
            else setError(r.error);
          })
        }
      >
        <Copy aria-hidden className="mr-1 h-4 w-4" />
        {t("duplicate")}
      </Button>
      {error && (
        <span role="alert" className="text-sm text-red-800">
          {error}
        </span>
      )}
    </span>
  );
}
