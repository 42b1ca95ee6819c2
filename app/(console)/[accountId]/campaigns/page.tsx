import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { getAccount } from "@/lib/accounts/account-service";
import { DEFAULT_TIME_ZONE } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import { ZonedTime } from "@/components/ui/zoned-time";
import { openCampaigns } from "@/lib/campaigns/lists";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { Badge, EmptyState } from "@/components/ui/card";
import { campaignStateTone } from "@/components/campaigns/state-tone";
import { Table, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";

export async function generateMetadata() {
  const t = await getTranslations("campaigns");
  return { title: t("title") };
}

/** Campaigns still in the making or on their way; everything that went out is in History. */
export default async function CampaignsPage({ params }: { params: Promise<{ accountId: string }> }) {
  const user = await requirePageUser("read");
  const { accountId } = await params;
  const t = await getTranslations("campaigns");
  const th = await getTranslations("history");
  const zone = (await getAccount(await getDb(), accountId))?.timezone ?? DEFAULT_TIME_ZONE;
  const locale = toLocale(await getLocale());
  const rows = await openCampaigns(await getDb(), accountId);
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        {can(user.role, "edit") && (
          <Button asChild>
            <Link href={`/${accountId}/campaigns/new`}>{t("new")}</Link>
          </Button>
        )}
      </div>
      {rows.length === 0 ? (
        <EmptyState title={t("empty")}>
          <Link className="underline" href={`/${accountId}/history`}>
            {t("seeHistory")}
          </Link>
        </EmptyState>
      ) : (
        <Table caption={t("title")} stack>
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th>{t("messageType")}</Th>
              <Th>{t("audience")}</Th>
              <Th>{t("state")}</Th>
              <Th>{t("updated")}</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <Td className="min-w-[10em]">
                  <Link className="font-medium text-emerald-800 underline" href={`/${accountId}/campaigns/${c.id}`}>
                    {c.name}
                  </Link>
                </Td>
                <Td label={t("messageType")}>{th(`types.${c.messageType}`)}</Td>
                <Td label={t("audience")}>
                  {th(`audiences.${c.audienceKind}`)}
                  {c.tagName ? ` · ${c.tagName}` : ""}
                </Td>
                <Td label={t("state")}>
                  <Badge tone={campaignStateTone(c.state)}>{th(`states.${c.state}`)}</Badge>
                </Td>
                <Td label={t("updated")} className="text-xs">
                  <ZonedTime at={c.updatedAt} timeZone={zone} locale={locale} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
