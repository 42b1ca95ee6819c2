import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { getAccount } from "@/lib/accounts/account-service";
import { DEFAULT_TIME_ZONE } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import { ZonedTime } from "@/components/ui/zoned-time";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listAudienceLists } from "@/lib/audiences/lists";
import { splitSizes } from "@/lib/audiences/split";
import { Card, CardTitle, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { UploadList } from "@/components/campaigns/upload-list";

export async function generateMetadata() {
  const t = await getTranslations("audiences");
  return { title: t("title") };
}

export default async function AudiencesPage({ params }: { params: Promise<{ accountId: string }> }) {
  const user = await requirePageUser("read");
  const { accountId } = await params;
  const t = await getTranslations("audiences");
  const db = await getDb();
  const [lists, account] = await Promise.all([listAudienceLists(db, accountId), getAccount(db, accountId)]);
  const zone = account?.timezone ?? DEFAULT_TIME_ZONE;
  const locale = toLocale(await getLocale());
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">{t("title")}</h1>
      {can(user.role, "edit") && (
        <Card className="mb-6">
          <CardTitle>{t("upload")}</CardTitle>
          <UploadList accountId={accountId} />
        </Card>
      )}
      {lists.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th className="text-right">{t("valid")}</Th>
              <Th className="text-right">{t("requests")}</Th>
              <Th>{t("created")}</Th>
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.id}>
                <Td>{l.name}</Td>
                <Td numeric>{l.validCount.toLocaleString()}</Td>
                <Td numeric>{splitSizes(l.validCount).length}</Td>
                <Td className="text-xs">
                  <ZonedTime at={l.createdAt} timeZone={zone} locale={locale} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
