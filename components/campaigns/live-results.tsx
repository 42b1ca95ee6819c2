"use client";
import { useLocale, useTranslations } from "next-intl";
import { useCampaignLive } from "./campaign-live-provider";
import { errcodeInfo, jobStatusMeaning } from "@/lib/wechat/errors";
import { Table, Td, Th } from "@/components/ui/table";
import { Alert, Badge } from "@/components/ui/card";
import { ResultsChart } from "@/components/history/results-chart";
import { BatchRefresh } from "@/components/history/batch-refresh";
import { TechnicalDetails } from "@/components/ui/technical-details";
import { formatDateTimeZoned } from "@/lib/i18n/time";

const ACTIVE = ["sending", "paused", "submitted"];
/** WeChat's copyright fields a marketer reads (yes/no answers); the codes without a documented meaning stay in the technical details. */
const YES_NO = ["CanReprint", "NeedReplaceContent", "NeedShowReprintSource"] as const;
const RAW_COPYRIGHT = [
  "ArticleIdx",
  "UserDeclareState",
  "AuditState",
  "OriginalArticleType",
  "CanReprint",
  "NeedReplaceContent",
  "NeedShowReprintSource",
] as const;
/** message/mass/get's msg_status values. */
const MASS_STATUSES = new Set(["SEND_SUCCESS", "SENDING", "SEND_FAIL", "DELETE"]);

/**
 * The campaign's results as WeChat reports them (MASSSENDJOBFINISH per batch): totals, a chart,
 * every batch's status with its meaning, published URLs and copyright outcomes. CampaignLiveProvider
 * polls them while results are still to come, so the numbers change without a reload.
 */
export function LiveResults({
  accountId,
  campaignId,
  articleTitles = [],
  canRefresh = false,
  timeZone,
}: {
  accountId: string;
  campaignId: string;
  /** The news' article titles, to name each published URL. */
  articleTitles?: string[];
  /** Publishers get a status refresh (message/mass/get) on each submitted batch. */
  canRefresh?: boolean;
  /** the account's zone, for the batches' times */
  timeZone: string;
}) {
  const t = useTranslations("campaigns");
  const th = useTranslations("history");
  const tl = useTranslations("callbacks.live");
  const lang = useLocale() === "en" ? "en" : "zh-CN";
  const r = useCampaignLive();
  const done = r.batches.flatMap((b) => (b.result ? [{ ...b, result: b.result }] : []));
  const chart = done.map(({ seq, result: x }) => ({
    name: `#${seq}`,
    sent: x.sentCount ?? 0,
    errors: x.errorCount ?? 0,
    filteredOut: Math.max(0, (x.totalCount ?? 0) - (x.filterCount ?? 0)),
  }));
  const refused = done.filter((b) => /^err\(\d+\)$/.test(b.result.status.trim()) || b.result.status === "send fail");
  const withUrls = done.filter((b) => b.result.articleUrls.length > 0);
  const withCopyright = done.filter((b) => b.result.copyright?.ResultList && b.result.copyright.ResultList.length > 0);
  const checkMeaning = (s: number | undefined) => (s === 1 || s === 2 || s === 3 ? tl(`checkState.${s}`) : tl("checkState.unknown"));
  const live = ACTIVE.includes(r.state);
  return (
    <section className="mt-6 space-y-4" aria-labelledby="results-heading">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="results-heading" className="text-lg font-semibold">
          {t("results")}
        </h2>
        {live && <span className="text-xs text-slate-600">{tl("updating")}</span>}
      </div>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-live="polite">
        {(
          [
            ["total", r.totals.total],
            ["filteredOut", r.totals.total !== null && r.totals.filter !== null ? Math.max(0, r.totals.total - r.totals.filter) : null],
            ["sent", r.totals.sent],
            ["error", r.totals.error],
          ] as const
        ).map(([k, v]) => (
          <div key={k} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-600">{t(`count.${k}`)}</dt>
            <dd className="text-xl font-semibold" data-testid={`count-${k}`}>
              {v ?? "—"}
            </dd>
          </div>
        ))}
      </dl>
      <ResultsChart rows={chart} title={t("chartPerBatch")} />
      {refused.length > 0 && (
        <div data-testid="refused-batches">
          <h3 className="mb-2 font-medium">{tl("refusedTitle")}</h3>
          <ul className="space-y-2">
            {refused.map((b) => (
              <li key={b.id}>
                <Alert tone="error">{tl("plain.refusedOf", { seq: b.seq, meaning: jobStatusMeaning(b.result.status, lang) })}</Alert>
              </li>
            ))}
          </ul>
        </div>
      )}
      {withUrls.length > 0 && (
        <div data-testid="article-urls">
          <h3 className="font-medium">{t("articleUrls")}</h3>
          <ul className="space-y-1 text-sm">
            {withUrls.map((b) => (
              <li key={b.id}>
                <span className="mr-2 text-slate-700">{tl("articlesOf", { seq: b.seq })}:</span>
                {b.result.articleUrls.map((u) => (
                  <span key={u.idx} className="mr-3">
                    <a className="text-emerald-800 underline" href={u.url} target="_blank" rel="noreferrer">
                      {t("articleN", { n: u.idx })}
                      {articleTitles[u.idx - 1] ? ` · ${articleTitles[u.idx - 1]}` : ""}
                    </a>
                    {b.deletedArticles.includes(u.idx) && (
                      <Badge tone="red" className="ml-1">
                        {th("actions.articleDeleted")}
                      </Badge>
                    )}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </div>
      )}
      {withCopyright.map((b) => {
        const copyright = b.result.copyright!;
        const urlOf = (idx: unknown) => b.result.articleUrls.find((u) => u.idx === Number(idx))?.url;
        return (
          <div key={b.id} data-testid={`copyright-${b.seq}`}>
            <h3 className="font-medium">{tl("plain.copyrightOf", { seq: b.seq, meaning: checkMeaning(copyright.CheckState) })}</h3>
            <Table caption={`${t("copyrightTable")} #${b.seq}`}>
              <thead>
                <tr>
                  <Th>{tl("plain.article")}</Th>
                  <Th>{tl("plain.originalUrl")}</Th>
                  {YES_NO.map((k) => (
                    <Th key={k}>{tl(`plain.${k}`)}</Th>
                  ))}
                  <Th>{tl("articleUrl")}</Th>
                  <Th>{tl("plain.technical")}</Th>
                </tr>
              </thead>
              <tbody>
                {copyright.ResultList!.map((row, i) => (
                  <tr key={i}>
                    <Td>{t("articleN", { n: String(row.ArticleIdx ?? i + 1) })}</Td>
                    <Td className="min-w-64 break-all text-xs">{String(row.OriginalArticleUrl ?? "") || "—"}</Td>
                    {YES_NO.map((k) => (
                      <Td key={k}>{Number(row[k]) === 1 ? tl("yes") : tl("no")}</Td>
                    ))}
                    <Td className="min-w-64 break-all text-xs">
                      {urlOf(row.ArticleIdx) ? (
                        <a className="text-emerald-800 underline" href={urlOf(row.ArticleIdx)} target="_blank" rel="noreferrer">
                          {urlOf(row.ArticleIdx)}
                        </a>
                      ) : (
                        "—"
                      )}
                    </Td>
                    <Td className="text-xs">
                      <TechnicalDetails
                        label={tl("plain.technical")}
                        rows={[["CheckState", String(copyright.CheckState ?? "")], ...RAW_COPYRIGHT.map((k) => [k, String(row[k] ?? "")] as [string, string])]}
                      />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        );
      })}
      <Table caption={t("batches")} stack>
        <thead>
          <tr>
            <Th>#</Th>
            <Th>{t("batchState")}</Th>
            <Th>{t("submittedAt")}</Th>
            <Th>{t("errcode")}</Th>
            <Th>{t("wechatStatus")}</Th>
            <Th>{t("result")}</Th>
            <Th>{tl("plain.technical")}</Th>
          </tr>
        </thead>
        <tbody>
          {r.batches.map((b) => (
            <tr key={b.id} data-testid={`batch-${b.seq}`}>
              <Td label="#">{b.seq}</Td>
              <Td label={t("batchState")}>{t(`batch.${b.state}`)}</Td>
              <Td label={t("submittedAt")} className="text-xs">
                {formatDateTimeZoned(b.submittedAt, timeZone, lang === "en" ? "en" : "zh-CN")}
              </Td>
              {/* A submitted batch went out: an errcode left from an earlier attempt (e.g. 45065, "this
                  clientmsgid was already submitted", which is how the retry learned its msg_id) is
                  not a problem to show; it stays under 技术详情. */}
              <Td label={t("errcode")} className="text-xs">
                {b.errcode && b.state !== "submitted" ? (errcodeInfo(b.errcode)?.[lang === "en" ? "en" : "zh"] ?? b.errmsg ?? String(b.errcode)) : "—"}
              </Td>
              <Td label={t("wechatStatus")} className="text-xs" data-testid={`wechat-status-${b.seq}`}>
                {b.wechatStatus ? (MASS_STATUSES.has(b.wechatStatus) ? tl(`plain.massStatus.${b.wechatStatus}`) : b.wechatStatus) : "—"}
                {b.deletedArticles.length > 0 && <div>{th("actions.deletedArticles", { list: b.deletedArticles.join(", ") })}</div>}
                {b.msgId && canRefresh && <BatchRefresh accountId={accountId} campaignId={campaignId} batchId={b.id} seq={b.seq} />}
              </Td>
              <Td label={t("result")} className="text-xs">
                {b.result ? (
                  <>
                    {jobStatusMeaning(b.result.status, lang)}{" "}
                    {tl("plain.batchCounts", { sent: b.result.sentCount ?? 0, failed: b.result.errorCount ?? 0, total: b.result.totalCount ?? 0 })}
                  </>
                ) : (
                  t("awaitingResult")
                )}
              </Td>
              <Td className="text-xs">
                <TechnicalDetails
                  label={tl("plain.technical")}
                  rows={[
                    ["clientmsgid", b.clientMsgId],
                    ["msg_id", b.msgId ?? ""],
                    ["msg_data_id", b.msgDataId ?? ""],
                    ["errcode", b.errcode ? `${b.errcode} ${b.errmsg ?? ""}`.trim() : ""],
                    ["msg_status", b.wechatStatus ?? ""],
                    ["Status", b.result?.status ?? ""],
                    [
                      "TotalCount / FilterCount / SentCount / ErrorCount",
                      b.result && b.result.totalCount !== null
                        ? `${b.result.totalCount} / ${b.result.filterCount ?? ""} / ${b.result.sentCount ?? ""} / ${b.result.errorCount ?? ""}`
                        : "",
                    ],
                  ]}
                />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
