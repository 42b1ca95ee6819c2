import Link from "next/link";
import { Suspense } from "react";
import { getLocale, getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { formatDateTimeZoned } from "@/lib/i18n/time";
import { scheduledCampaigns } from "@/lib/campaigns/lists";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getAccount } from "@/lib/accounts/account-service";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import { quotaSummary } from "@/lib/campaigns/quota";
import { historyFilterSchema } from "@/lib/history/filters";
import { listHistory } from "@/lib/history/history";
import { monthUsage } from "@/lib/history/dashboard";
import { describeError } from "@/lib/wechat";
import { toLocale } from "@/lib/i18n/locales";
import { Alert, Badge, Card, CardTitle, EmptyState } from "@/components/ui/card";
import { campaignStateTone } from "@/components/campaigns/state-tone";
import { SpeedControl } from "@/components/campaigns/speed-control";
import { ClientMessages } from "@/components/shell/client-messages";

export async function generateMetadata() {
  const t = await getTranslations("dashboard");
  return { title: t("title") };
}

/** The account's mass-send speed as WeChat reports it (message/mass/speed/get), or why it could not be read. */
async function SpeedNow({ accountId, admin }: { accountId: string; admin: boolean }) {
  const t = await getTranslations("dashboard");
  const lang = toLocale(await getLocale());
  let speed: { speed: number; realspeed: number };
  try {
    speed = await (await getAccountClient(accountId)).getSpeed();
  } catch (e) {
    return <Alert tone="error">{describeError(e, lang)}</Alert>;
  }
  return (
    <>
      <p className="mb-3 text-sm">{t("speedNow", { speed: speed.speed, real: speed.realspeed })}</p>
      {admin && (
        <ClientMessages namespaces={["dashboard"]}>
          <SpeedControl accountId={accountId} speed={speed.speed} />
        </ClientMessages>
      )}
    </>
  );
}

export default async function AccountDashboard({ params }: { params: Promise<{ accountId: string }> }) {
  const user = await requirePageUser("read");
  const { accountId } = await params;
  const db = await getDb();
  const account = await getAccount(db, accountId);
  if (!account) notFound();
  const t = await getTranslations("dashboard");
  const ta = await getTranslations("accounts");
  const th = await getTranslations("history");
  const [quota, recent, scheduled, month] = await Promise.all([
    quotaSummary(db, account),
    listHistory(db, [accountId], historyFilterSchema.parse({}), 5, account.timezone),
    scheduledCampaigns(db, accountId, 10),
    monthUsage(db, account),
  ]);
  const locale = toLocale(await getLocale());
  const fmt = (d: Date | null) => formatDateTimeZoned(d, account.timezone, locale);
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">{t("title")}</h1>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <Card>
          <CardTitle>{t("quotaTitle")}</CardTitle>
          <p className="mb-2 text-sm text-slate-700">{account.type === "service" ? t("quotaService") : t("quotaSubscription")}</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">{t("sendsToday")}</dt>
            <dd data-testid="sends-today">{account.type === "subscription" ? t("ofQuota", { used: quota.sendsToday, max: 1 }) : quota.sendsToday}</dd>
            <dt className="text-slate-600">{t("sendsThisMonth")}</dt>
            <dd data-testid="sends-month">{month.sendsThisMonth}</dd>
            {account.type === "service" && month.busiestTag && (
              <>
                <dt className="text-slate-600">{t("busiestTag", { tag: month.busiestTag.tagName ?? `#${month.busiestTag.tagId}` })}</dt>
                <dd>{t("ofQuota", { used: month.busiestTag.received, max: 4 })}</dd>
              </>
            )}
            <dt className="text-slate-600">{t("toAllThisMonth")}</dt>
            <dd>{account.type === "service" ? t("ofQuota", { used: quota.toAllThisMonth, max: 4 }) : quota.toAllThisMonth}</dd>
            <dt className="text-slate-600">{t("previewsLeft")}</dt>
            <dd>{t("ofQuota", { used: quota.previewsLeft, max: 100 })}</dd>
          </dl>
        </Card>
        <Card>
          <CardTitle>{t("speedTitle")}</CardTitle>
          {/* WeChat's answer streams in: the rest of the page does not wait for it. */}
          <Suspense
            fallback={
              <p role="status" className="text-sm text-slate-600" data-testid="speed-loading">
                {t("speedLoading")}
              </p>
            }
          >
            <SpeedNow accountId={accountId} admin={can(user.role, "admin")} />
          </Suspense>
        </Card>
        <Card>
          <CardTitle>{t("accountTitle")}</CardTitle>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">{ta("appid")}</dt>
            <dd className="font-mono">{account.appid}</dd>
            <dt className="text-slate-600">{ta("typeLabel")}</dt>
            <dd>{ta(`type.${account.type}`)}</dd>
            <dt className="text-slate-600">{ta("messageMode")}</dt>
            <dd>{ta(`mode.${account.messageMode}`)}</dd>
            <dt className="text-slate-600">{ta("callbackVerified")}</dt>
            <dd>{account.callbackVerifiedAt ? fmt(account.callbackVerifiedAt) : ta("notYet")}</dd>
          </dl>
        </Card>
      </div>
      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardTitle>{t("recent")}</CardTitle>
          {recent.rows.length === 0 ? (
            <EmptyState title={t("noRecent")} />
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {recent.rows.map((r) => (
                <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <Link className="text-emerald-800 underline" href={`/${accountId}/campaigns/${r.id}`}>
                    {r.name}
                  </Link>
                  <span className="text-xs text-slate-600">
                    <Badge tone={campaignStateTone(r.state)}>{th(`states.${r.state}`)}</Badge>{" "}
                    {r.sentCount !== null ? t("sentOf", { sent: r.sentCount, total: r.totalCount ?? 0 }) : ""}
                    {r.sentCount !== null ? ` · ${t("resultDetail", { filtered: r.filterCount ?? 0, errors: r.errorCount ?? 0 })}` : ""}
                    {` · ${fmt(r.startedAt ?? r.createdAt)}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <CardTitle>{t("scheduled")}</CardTitle>
          {scheduled.length === 0 ? (
            <EmptyState title={t("noScheduled")} />
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {scheduled.map((c) => (
                <li key={c.id} className="flex justify-between py-2">
                  <Link className="text-emerald-800 underline" href={`/${accountId}/campaigns/${c.id}`}>
                    {c.name}
                  </Link>
                  <span className="text-xs">
                    {fmt(c.scheduledAt)} · {th(`audiences.${c.audienceKind}`)}
                    {c.tagName ? ` · ${c.tagName}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
