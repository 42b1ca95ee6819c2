import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { historyFilterSchema } from "@/lib/history/filters";
import { historyPeople, listHistory } from "@/lib/history/history";
import { HistoryFilterBar } from "@/components/history/filter-bar";
import { ResultsChart } from "@/components/history/results-chart";
import { Badge, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";

export async function generateMetadata() {
  const t = await getTranslations("history");
  return { title: t("title") };
}

const stateTone = (s: string) => (s === "finished" ? "green" : s === "failed" || s === "cancelled" ? "red" : s === "sending" || s === "submitted" ? "blue" : "slate");

export default async function HistoryPage({ params, searchParams }: { params: Promise<{ accountId: string }>; searchParams: Promise<Record<string, string>> }) {
  await requirePageUser("read");
  const { accountId } = await params;
  const db = await getDb();
  const account = await getAccount(db, accountId);
  if (!account) notFound();
  const sp = await searchParams;
  const filter = historyFilterSchema.parse(sp);
  const t = await getTranslations("history");
  const [{ rows, next }, people] = await Promise.all([listHistory(db, [accountId], filter, 50, account.timezone), historyPeople(db, [accountId])]);
  const qs = new URLSearchParams(Object.entries(sp).filter(([k, v]) => k !== "after" && typeof v === "string") as [string, string][]);
  const nextQs = new URLSearchParams(qs);
  if (next) nextQs.set("after", next);
  const chart = rows
    .filter((r) => r.totalCount !== null)
    .slice(0, 20)
    .reverse()
    .map((r) => ({ name: r.name.slice(0, 12), sent: r.sentCount ?? 0, errors: r.errorCount ?? 0, filteredOut: Math.max(0, (r.totalCount ?? 0) - (r.filterCount ?? 0)) }));
  const fmt = (d: Date | null) => (d ? d.toLocaleString("zh-CN", { timeZone: account.timezone, hour12: false }) : "—");
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <Button asChild variant="secondary">
          <a href={`/${accountId}/history/export?${qs}`} download>
            {t("exportCsv")}
          </a>
        </Button>
      </div>
      <HistoryFilterBar people={people} />
      {rows.length === 0 ? (
        <EmptyState title={filter.q || qs.size ? t("noMatch") : t("empty")} />
      ) : (
        <>
          <div className="mb-4">
            <ResultsChart rows={chart} title={t("chartTitle")} />
          </div>
          <Table caption={t("title")}>
            <thead>
              <tr>
                <Th>{t("name")}</Th>
                <Th>{t("type")}</Th>
                <Th>{t("audience")}</Th>
                <Th>{t("state")}</Th>
                <Th>{t("people")}</Th>
                <Th>{t("when")}</Th>
                <Th className="text-right">{t("requests")}</Th>
                <Th className="text-right">{t("sent")}</Th>
                <Th className="text-right">{t("filtered")}</Th>
                <Th className="text-right">{t("errors")}</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <Td>
                    <Link className="font-medium text-emerald-800 underline" href={`/${accountId}/campaigns/${r.id}`}>
                      {r.name}
                    </Link>
                    {r.title && <div className="text-xs text-slate-600">{r.title}</div>}
                  </Td>
                  <Td>{t(`types.${r.messageType}`)}</Td>
                  <Td>
                    {t(`audiences.${r.audienceKind}`)}
                    {r.audienceLabel ? ` · ${r.audienceLabel}` : ""}
                    {r.audienceSize !== null ? ` (${r.audienceSize.toLocaleString()})` : ""}
                  </Td>
                  <Td>
                    <Badge tone={stateTone(r.state)}>{t(`states.${r.state}`)}</Badge>
                  </Td>
                  <Td className="text-xs">
                    {t("createdBy", { name: r.createdBy ?? "—" })}
                    {r.approvedBy && <div>{t("approvedBy", { name: r.approvedBy })}</div>}
                    {r.sentBy && <div>{t("sentBy", { name: r.sentBy })}</div>}
                  </Td>
                  <Td className="whitespace-nowrap text-xs">{fmt(r.startedAt ?? r.scheduledAt ?? r.createdAt)}</Td>
                  <Td className="text-right">{r.requests}</Td>
                  <Td className="text-right">{r.sentCount ?? "—"}</Td>
                  <Td className="text-right">{r.filterCount ?? "—"}</Td>
                  <Td className="text-right">{r.errorCount ?? "—"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {next && (
            <Link className="mt-4 inline-block text-emerald-800 underline" href={`/${accountId}/history?${nextQs}`}>
              {t("more")}
            </Link>
          )}
        </>
      )}
    </>
  );
}
