import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import type { HistoryRow } from "@/lib/history/history";
import { ResultsChart } from "@/components/history/results-chart";
import { Badge, EmptyState } from "@/components/ui/card";
import { campaignStateTone } from "@/components/campaigns/state-tone";
import { Table, Td, Th } from "@/components/ui/table";

/**
 * The history list's body (an account's page and the admin page across accounts): the chart of
 * this page's results, the table, and the link to the next keyset page.
 */
export async function HistoryTable({
  rows,
  next,
  basePath,
  searchParams,
  filtered,
  showAccount,
  timeZone,
}: {
  rows: HistoryRow[];
  next: string | null;
  /** the list's own path, for the next-page link */
  basePath: string;
  searchParams: Record<string, string | string[] | undefined>;
  filtered: boolean;
  showAccount?: boolean;
  timeZone: string;
}) {
  const t = await getTranslations("history");
  if (rows.length === 0) return <EmptyState title={filtered ? t("noMatch") : t("empty")} />;
  const nextQs = new URLSearchParams(Object.entries(searchParams).filter(([k, v]) => k !== "after" && typeof v === "string") as [string, string][]);
  if (next) nextQs.set("after", next);
  const chart = rows
    .filter((r) => r.totalCount !== null)
    .slice(0, 20)
    .reverse()
    .map((r) => ({
      name: r.name.slice(0, 12),
      sent: r.sentCount ?? 0,
      errors: r.errorCount ?? 0,
      filteredOut: Math.max(0, (r.totalCount ?? 0) - (r.filterCount ?? 0)),
    }));
  const locale = toLocale(await getLocale());
  // Each row in its account's zone (the admin list spans accounts), labelled.
  const fmt = (d: Date | null, zone?: string) => formatDateTimeZoned(d, zone ?? timeZone, locale);
  return (
    <>
      <div className="mb-4">
        <ResultsChart rows={chart} title={t("chartTitle")} />
      </div>
      <Table caption={t("title")} stack>
        <thead>
          <tr>
            {showAccount && <Th>{t("account")}</Th>}
            <Th>{t("name")}</Th>
            <Th>{t("type")}</Th>
            <Th>{t("audience")}</Th>
            <Th>{t("state")}</Th>
            <Th>{t("people")}</Th>
            <Th>{t("when")}</Th>
            <Th className="text-right">{t("requests")}</Th>
            <Th className="text-right">{t("counts.target")}</Th>
            <Th className="text-right">{t("counts.filteredOut")}</Th>
            <Th className="text-right">{t("counts.delivered")}</Th>
            <Th className="text-right">{t("counts.failed")}</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="history-row">
              {showAccount && (
                <Td label={t("account")}>
                  <Link className="text-emerald-800 underline" href={`/${r.accountId}/history`}>
                    {r.accountName}
                  </Link>
                </Td>
              )}
              <Td className="min-w-[10em]">
                <Link className="font-medium text-emerald-800 underline" href={`/${r.accountId}/campaigns/${r.id}`}>
                  {r.name}
                </Link>
                {r.title && <div className="text-xs text-slate-600">{r.title}</div>}
              </Td>
              <Td label={t("type")}>{t(`types.${r.messageType}`)}</Td>
              <Td label={t("audience")}>
                {t(`audiences.${r.audienceKind}`)}
                {r.audienceLabel ? ` · ${r.audienceLabel}` : ""}
                {r.audienceSize !== null ? ` (${r.audienceSize.toLocaleString()})` : ""}
              </Td>
              <Td label={t("state")}>
                <Badge tone={campaignStateTone(r.state)}>{t(`states.${r.state}`)}</Badge>
              </Td>
              <Td label={t("people")} className="text-xs">
                {t("createdBy", { name: r.createdBy ?? "—" })}
                {r.approvedBy && <div>{t("approvedBy", { name: r.approvedBy })}</div>}
                {r.sentBy && <div>{t("sentBy", { name: r.sentBy })}</div>}
              </Td>
              <Td label={t("when")} className="whitespace-nowrap text-xs">
                {fmt(r.startedAt ?? r.scheduledAt ?? r.createdAt, r.accountTimeZone)}
              </Td>
              <Td label={t("requests")} numeric>
                {r.requests}
              </Td>
              <Td label={t("counts.target")} numeric>
                {r.totalCount ?? "—"}
              </Td>
              <Td label={t("counts.filteredOut")} numeric>
                {r.totalCount !== null && r.filterCount !== null ? Math.max(0, r.totalCount - r.filterCount) : "—"}
              </Td>
              <Td label={t("counts.delivered")} numeric>
                {r.sentCount ?? "—"}
              </Td>
              <Td label={t("counts.failed")} numeric>
                {r.errorCount ?? "—"}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {next && (
        <Link className="mt-4 inline-block text-emerald-800 underline" href={`${basePath}?${nextQs}`}>
          {t("more")}
        </Link>
      )}
    </>
  );
}
