import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { listAccounts } from "@/lib/accounts/account-service";
import { Badge, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";

export async function generateMetadata() {
  const t = await getTranslations("accounts");
  return { title: t("title") };
}

export default async function AccountsPage() {
  await requirePageUser("admin");
  const t = await getTranslations("accounts");
  const accounts = await listAccounts(await getDb());
  return (
    <>
      <div className="mb-4 flex items-center justify-between">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <Button asChild>
          <Link href="/admin/accounts/new">{t("add")}</Link>
        </Button>
      </div>
      {accounts.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th>{t("appid")}</Th>
              <Th>{t("typeLabel")}</Th>
              <Th>{t("messageMode")}</Th>
              <Th>{t("callbackVerified")}</Th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <Td>
                  <Link className="font-medium text-emerald-800 underline" href={`/admin/accounts/${a.id}`}>
                    {a.name}
                  </Link>{" "}
                  {a.isSandbox && <Badge tone="amber">{t("sandbox")}</Badge>}
                </Td>
                <Td className="font-mono">{a.appid}</Td>
                <Td>
                  {t(`type.${a.type}`)}
                  {a.verified ? "" : ` · ${t("unverified")}`}
                </Td>
                <Td>{t(`mode.${a.messageMode}`)}</Td>
                <Td>{a.callbackVerifiedAt ? <Badge tone="green">{t("yes")}</Badge> : <Badge>{t("notYet")}</Badge>}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
