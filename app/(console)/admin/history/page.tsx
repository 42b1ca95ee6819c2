import { ClientMessages } from "@/components/shell/client-messages";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { listAccounts } from "@/lib/accounts/account-service";
import { historyFilterSchema, refusedHistoryDays } from "@/lib/history/filters";
import { refusedDaysMessage } from "@/lib/history/refused-days";
import { Alert } from "@/components/ui/card";
import { historyPeople, listHistory } from "@/lib/history/history";
import { HistoryFilterBar } from "@/components/history/filter-bar";
import { HistoryTable } from "@/components/history/history-table";
import { Button } from "@/components/ui/button";

export async function generateMetadata() {
  const t = await getTranslations("history");
  return { title: t("allTitle") };
}

/** Every account's campaigns in one list (admins): the same filters, sorts, pages and CSV, plus the account. */
export default async function AllHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requirePageUser("admin");
  const db = await getDb();
  const sp = await searchParams;
  const filter = historyFilterSchema.parse(sp);
  const refused = refusedHistoryDays(sp);
  const t = await getTranslations("history");
  // Day boundaries of the date filter: the console's default zone (accounts may differ; each row shows its account).
  const timeZone = "Asia/Shanghai";
  const [{ rows, next }, people, accounts] = await Promise.all([listHistory(db, null, filter, 50, timeZone), historyPeople(db), listAccounts(db)]);
  const qs = new URLSearchParams(
    Object.entries(sp).filter(([k, v]) => k !== "after" && typeof v === "string" && !refused.some((x) => x.field === k)) as [string, string][],
  );
  // The messages its client components translate, sent around the page (a section layout here
  // left the page with several <title> elements after client-side filter changes).
  return (
    <ClientMessages namespaces={["history"]}>
      <>
        <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
          <h1 className="text-2xl font-semibold">{t("allTitle")}</h1>
          <Button asChild variant="secondary">
            <a href={`/admin/history/export?${qs}`} download>
              {t("exportCsv")}
            </a>
          </Button>
        </div>
        <p className="mb-4 text-sm text-slate-700">{t("allIntro")}</p>
        {refused.length > 0 && (
          <div className="mb-4" data-testid="history-refused">
            <Alert tone="error">{await refusedDaysMessage(refused)}</Alert>
          </div>
        )}
        <HistoryFilterBar people={people} accounts={accounts.map((a) => ({ id: a.id, name: a.name }))} />
        <HistoryTable rows={rows} next={next} basePath="/admin/history" searchParams={sp} filtered={qs.size > 0} showAccount timeZone={timeZone} />
      </>
    </ClientMessages>
  );
}
