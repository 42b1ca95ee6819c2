import { getLocale, getTranslations } from "next-intl/server";
import type { CallbackOverview } from "@/lib/callback/overview";
import { jobStatusMeaning } from "@/lib/wechat";
import { toLocale } from "@/lib/i18n/locales";
import { formatDateTimeZoned } from "@/lib/i18n/time";
import { Alert, Card, CardTitle } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { TechnicalDetails } from "@/components/ui/technical-details";

/** The admin's view of an account's callback: refusals (counts, last ones) and unmatched results. */
export async function CallbackLog({ o, timeZone }: { o: CallbackOverview; timeZone: string }) {
  const t = await getTranslations("callbacks");
  const lang = toLocale(await getLocale());
  const when = (d: Date) => formatDateTimeZoned(d, timeZone, lang);
  const reason = (r: string) => (t.has(`reasons.${r}`) ? t(`reasons.${r}`) : r);
  return (
    <div className="space-y-6">
      {o.applyFailures > 0 && <Alert tone="warning">{t("applyFailures", { n: o.applyFailures })}</Alert>}
      <Card>
        <CardTitle>{t("refusalsTitle")}</CardTitle>
        <p className="mb-3 text-sm text-slate-700">{t("refusalsHelp")}</p>
        <p className="mb-3 font-medium" data-testid="refusals-total">
          {t("refusalsTotal", { n: o.refusals.total })}
        </p>
        {o.refusals.byReason.length > 0 && (
          <Table caption={t("byReason")} className="mb-4" data-testid="refusals-by-reason">
            <thead>
              <tr>
                <Th>{t("reason")}</Th>
                <Th>{t("count")}</Th>
                <Th>{t("lastAt")}</Th>
              </tr>
            </thead>
            <tbody>
              {o.refusals.byReason.map((r) => (
                <tr key={r.reason}>
                  <Td>{reason(r.reason)}</Td>
                  <Td>{r.count}</Td>
                  <Td className="whitespace-nowrap">{when(r.lastAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <h3 className="mb-2 font-medium">{t("lastRefusals")}</h3>
        {o.refusals.last.length === 0 ? (
          <p className="text-sm text-slate-600">{t("none")}</p>
        ) : (
          <Table caption={t("lastRefusals")} data-testid="refusals-last">
            <thead>
              <tr>
                <Th>{t("at")}</Th>
                <Th>{t("reason")}</Th>
                <Th>{t("remote")}</Th>
                <Th>{t("detail")}</Th>
              </tr>
            </thead>
            <tbody>
              {o.refusals.last.map((r) => (
                <tr key={r.id}>
                  <Td className="whitespace-nowrap">{when(r.at)}</Td>
                  <Td>{reason(r.reason)}</Td>
                  <Td className="font-mono text-xs">{r.remote ?? "—"}</Td>
                  <Td className="text-xs">{r.detail || "—"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Card>
        <CardTitle>{t("unmatchedTitle")}</CardTitle>
        <p className="mb-3 text-sm text-slate-700">{t("unmatchedHelp")}</p>
        <p className="mb-3 font-medium" data-testid="unmatched-total">
          {t("unmatchedTotal", { n: o.unmatched.count })}
        </p>
        {o.unmatched.last.length > 0 && (
          <Table caption={t("unmatchedTitle")} data-testid="unmatched">
            <thead>
              <tr>
                <Th>{t("receivedAt")}</Th>
                <Th>{t("status")}</Th>
                <Th>{t("counts")}</Th>
                <Th>{t("applyError")}</Th>
              </tr>
            </thead>
            <tbody>
              {o.unmatched.last.map((u) => (
                <tr key={u.id}>
                  <Td className="whitespace-nowrap">{when(u.receivedAt)}</Td>
                  <Td>
                    {/* The result in words; WeChat's MsgID and Status (to look the send up) behind 「技术详情」. */}
                    {jobStatusMeaning(u.result.status, lang)}
                    <TechnicalDetails
                      label={t("technical")}
                      rows={[
                        ["MsgID", String(u.msgId)],
                        ["Status", u.result.status],
                      ]}
                    />
                  </Td>
                  <Td>
                    {u.result.sentCount} / {u.result.filterCount} / {u.result.totalCount} / {u.result.errorCount}
                  </Td>
                  <Td className="text-xs">{u.applyError ?? "—"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
