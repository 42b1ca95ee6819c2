import { getLocale, getTranslations } from "next-intl/server";
import { formatMonthDay } from "@/lib/i18n/time";
import { ZonedTime } from "@/components/ui/zoned-time";
import { toLocale } from "@/lib/i18n/locales";
import { auditActionNamer } from "@/lib/audit/action-name";
import { TechnicalDetails } from "@/components/ui/technical-details";
import { audienceLabel } from "@/lib/audiences/kinds";
import type { Campaign, CampaignReviewData } from "@/lib/history/detail";
import { MessagePreview } from "@/components/history/message-preview";
import { ResultsChart } from "@/components/history/results-chart";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";

/**
 * The campaign page's review: the message as the follower saw it, the audience, the campaign's
 * audit trail, and, for a recurring audience, this send against the previous ones to it.
 */
export async function CampaignReview({
  review,
  campaign: c,
  accountName,
  listName,
  timeZone,
}: {
  review: CampaignReviewData;
  campaign: Campaign;
  accountName: string;
  listName: string | null;
  timeZone: string;
}) {
  const t = await getTranslations("history");
  const { view, trail, same } = review;
  const locale = toLocale(await getLocale());
  const actionName = await auditActionNamer();
  const ta = await getTranslations("audit");
  const label = audienceLabel(c.audienceKind, { tagName: c.tagName, listName });
  return (
    <section className="mt-6 grid gap-6 xl:grid-cols-[auto_1fr]" aria-label={t("detail.review")}>
      <Card>
        <CardTitle>{t("detail.asSeen")}</CardTitle>
        <MessagePreview accountName={accountName} view={view} />
      </Card>
      <div className="min-w-0 space-y-6">
        <Card>
          <CardTitle>{t("audience")}</CardTitle>
          <p className="text-sm" data-testid="campaign-audience">
            {t(`audiences.${c.audienceKind}`)}
            {label ? ` · ${label}` : ""}
            {c.audienceSize !== null ? ` · ${t("detail.people", { n: c.audienceSize })}` : ""}
          </p>
        </Card>
        {same.length > 1 && (
          <ResultsChart
            title={t("detail.sameAudience", { n: same.length - 1 })}
            rows={same.map((s) => ({
              name: `${s.id === c.id ? t("detail.thisOne") : s.name.slice(0, 10)} ${formatMonthDay(s.startedAt, timeZone)}`,
              sent: s.sentCount ?? 0,
              errors: s.errorCount ?? 0,
              filteredOut: Math.max(0, (s.totalCount ?? 0) - (s.filterCount ?? 0)),
            }))}
          />
        )}
        <Card>
          <CardTitle>{t("detail.auditTrail")}</CardTitle>
          <Table caption={t("detail.auditTrail")}>
            <thead>
              <tr>
                <Th>{t("detail.at")}</Th>
                <Th>{t("detail.who")}</Th>
                <Th>{t("detail.what")}</Th>
                <Th>{t("detail.details")}</Th>
              </tr>
            </thead>
            <tbody>
              {trail.map((r) => (
                <tr key={r.id} data-testid="audit-row">
                  <Td className="text-xs">
                    <ZonedTime at={r.at} timeZone={timeZone} locale={locale} />
                  </Td>
                  <Td className="text-xs">{r.who ?? r.email ?? t("detail.system")}</Td>
                  <Td className="text-xs">{actionName(r.action)}</Td>
                  <Td className="max-w-md text-xs">
                    <TechnicalDetails label={ta("technical")} rows={[["action", r.action]]} json={Object.keys(r.summary).length ? r.summary : undefined} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </div>
    </section>
  );
}
