import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { callbackUrl } from "@/lib/accounts/callback-url";
import { callbackOverview } from "@/lib/callback/overview";
import { Alert, Badge, Card, CardTitle } from "@/components/ui/card";
import { AccountForm } from "../account-form";
import { TestConnection } from "./test-connection";
import { CopyField } from "@/components/shell/copy-field";

export async function generateMetadata() {
  const t = await getTranslations("accounts");
  return { title: t("edit") };
}

export default async function AccountPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("admin");
  const { id } = await params;
  const db = await getDb();
  const a = await getAccount(db, id);
  if (!a) notFound();
  const t = await getTranslations("accounts");
  const tc = await getTranslations("callbacks");
  const cb = await callbackOverview(db, id, 0);
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">
        {a.name} {a.isSandbox && <Badge tone="amber">{t("sandbox")}</Badge>}
      </h1>
      <div className="mb-6 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardTitle>{t("callbackTitle")}</CardTitle>
          <p className="mb-2 text-sm text-slate-700">{t("callbackHelp")}</p>
          <CopyField id="callback-url" label={t("callbackUrl")} value={callbackUrl(a.id)} />
          <p className="mt-3 text-sm">
            {a.callbackVerifiedAt ? (
              <Badge tone="green">{t("callbackVerifiedAt", { at: formatDateTimeZoned(a.callbackVerifiedAt, a.timezone, toLocale(await getLocale())) })}</Badge>
            ) : (
              <Badge>{t("callbackNotVerified")}</Badge>
            )}
          </p>
          <h3 className="mt-4 mb-1 font-medium">{tc("summaryTitle")}</h3>
          <p className="text-sm" data-testid="callback-summary">
            {tc("summary", { refused: cb.refusals.total, unmatched: cb.unmatched.count })}
          </p>
          {cb.applyFailures > 0 && <p className="text-sm text-amber-800">{tc("applyFailures", { n: cb.applyFailures })}</p>}
          <p className="mt-1 text-sm">
            <Link className="text-emerald-800 underline" href={`/admin/accounts/${a.id}/callbacks`}>
              {tc("viewAll")}
            </Link>
          </p>
        </Card>
        <Card>
          <CardTitle>{t("connectionTitle")}</CardTitle>
          {a.lastTestAt && (
            <Alert tone={a.lastTestOk ? "success" : "error"} className="mb-3">
              {t("lastTest", { at: formatDateTimeZoned(a.lastTestAt, a.timezone, toLocale(await getLocale())) })}: {a.lastTestMessage}
            </Alert>
          )}
          <TestConnection id={a.id} />
        </Card>
      </div>
      <h2 className="mb-3 text-lg font-semibold">{t("edit")}</h2>
      <AccountForm
        mode="edit"
        id={a.id}
        secretsSet={{ appSecret: a.hasAppSecret, callbackToken: a.hasCallbackToken, encodingAesKey: a.hasAesKey }}
        defaults={{
          name: a.name,
          appid: a.appid,
          appSecret: "",
          type: a.type,
          verified: a.verified,
          callbackToken: "",
          encodingAesKey: "",
          messageMode: a.messageMode,
          relayUrl: a.relayUrl ?? "",
          apiBaseUrl: a.apiBaseUrl,
          timezone: a.timezone,
          requiresApproval: a.requiresApproval,
        }}
      />
    </>
  );
}
