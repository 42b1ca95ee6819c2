import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { Card, CardTitle } from "@/components/ui/card";

export async function generateMetadata() {
  const t = await getTranslations("dashboard");
  return { title: t("title") };
}

export default async function AccountDashboard({ params }: { params: Promise<{ accountId: string }> }) {
  await requirePageUser("read");
  const { accountId } = await params;
  const account = await getAccount(await getDb(), accountId);
  if (!account) notFound();
  const t = await getTranslations("dashboard");
  const ta = await getTranslations("accounts");
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">{t("title")}</h1>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardTitle>{t("quotaTitle")}</CardTitle>
          <p className="text-sm text-slate-700">{account.type === "service" ? t("quotaService") : t("quotaSubscription")}</p>
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
            <dd>{account.callbackVerifiedAt ? account.callbackVerifiedAt.toLocaleString() : ta("notYet")}</dd>
          </dl>
        </Card>
      </div>
    </>
  );
}
