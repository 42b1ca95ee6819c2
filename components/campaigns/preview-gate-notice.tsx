import Link from "next/link";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/card";

/**
 * Why "Preview on my WeChat" is unavailable: no WeChat ID in the profile, or one an admin has not
 * confirmed yet (previews go only to a confirmed one). Links to the profile, which shows its status.
 */
export function PreviewGateNotice({ gate }: { gate: { ok: true } | { ok: false; reason: "none" } | { ok: false; reason: "unconfirmed"; value: string } }) {
  const t = useTranslations("campaigns");
  if (gate.ok) return null;
  const reason = gate.reason === "none" ? t("previewGate.none") : t("previewGate.unconfirmed", { id: gate.value });
  return (
    <Alert tone="info" className="mb-3" data-testid="preview-gate">
      {t("previewGate.notice", { reason })}{" "}
      <Link className="underline" href="/profile">
        {t("previewGate.profileLink")}
      </Link>
    </Alert>
  );
}
