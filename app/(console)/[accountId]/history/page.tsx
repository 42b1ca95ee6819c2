import { ClientMessages } from "@/components/shell/client-messages";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { historyFilterSchema, refusedHistoryDays } from "@/lib/history/filters";
import { refusedDaysMessage } from "@/lib/history/refused-days";
import { Alert } from "@/components/ui/card";
import { historyPeople, listHistory } from "@/lib/history/history";
import { HistoryFilterBar } from "@/components/history/filter-bar";
import { HistoryTable } from "@/components/history/history-table";
import { Button } from "@/components/ui/button";

export async function generateMetadata() {
  const t = await getTranslations("history");
  return { title: t("title") };
}

export default async function HistoryPage({ params, searchParams }: { params: Promise<{ accountId: string }>; searchParams: Promise<Record<string, string>> }) {
  await requirePageUser("read");
  const { accountId } = await params;
  const db = await getDb();
  const account = await getAccount(db, accountId);
  if (!account) notFound();
  const sp = await searchParams;
  const filter = historyFilterSchema.parse(sp);
  const refused = refusedHistoryDays(sp);
  const t = await getTranslations("history");
  const [{ rows, next }, people] = await Promise.all([listHistory(db, [accountId], filter, 50, account.timezone), historyPeople(db)]);
  const qs = new URLSearchParams(
    Object.entries(sp).filter(([k, v]) => k !== "after" && typeof v === "string" && !refused.some((x) => x.field === k)) as [string, string][],
  );
  // The messages its client components translate, sent around the page (a section layout here
  // left the page with several <title> elements after client-side filter changes).
  return (
    <ClientMessages namespaces={["history"]}>
      <>
        <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <Button asChild variant="secondary">
            <a href={`/${accountId}/history/export?${qs}`} download>
              {t("exportCsv")}
            </a>
          </Button>
        </div>
        {refused.length > 0 && (
          <div className="mb-4" data-testid="history-refused">
            <Alert tone="error">{await refusedDaysMessage(refused)}</Alert>
          </div>
        )}
        <HistoryFilterBar people={people} />
        <HistoryTable rows={rows} next={next} basePath={`/${accountId}/history`} searchParams={sp} filtered={qs.size > 0} timeZone={account.timezone} />
      </>
    </ClientMessages>
  );
}
