import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getAccount } from "@/lib/accounts/account-service";
import { listDrafts } from "@/lib/news/news-service";
import { Badge, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { NewDraftButton, DeleteDraftButton } from "@/components/news/draft-buttons";
import { TechnicalDetails } from "@/components/ui/technical-details";

export async function generateMetadata() {
  const t = await getTranslations("news");
  return { title: t("title") };
}

export default async function NewsListPage({
  params,
  searchParams,
}: {
  params: Promise<{ accountId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("read");
  const { accountId } = await params;
  const db = await getDb();
  const account = await getAccount(db, accountId);
  if (!account) notFound();
  const q = z
    .string()
    .trim()
    .max(100)
    .optional()
    .catch(undefined)
    .parse((await searchParams).q);
  const t = await getTranslations("news");
  const tm = await getTranslations("media");
  const drafts = await listDrafts(db, accountId, q);
  const canEdit = can(user.role, "edit");
  const locale = toLocale(await getLocale());
  const fmt = (d: Date) => formatDateTimeZoned(d, account.timezone, locale);
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        {canEdit && <NewDraftButton accountId={accountId} />}
      </div>
      <form method="get" role="search" aria-label={t("searchLabel")} className="mb-4 flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <Label htmlFor="news-q">{t("search")}</Label>
          <Input id="news-q" name="q" defaultValue={q ?? ""} className="w-64" />
        </div>
        <Button type="submit" variant="secondary">
          {t("searchButton")}
        </Button>
      </form>
      {drafts.length === 0 ? (
        <EmptyState title={q ? t("noMatch") : t("empty")}>{canEdit && !q ? t("emptyHint") : null}</EmptyState>
      ) : (
        <Table caption={t("title")}>
          <thead>
            <tr>
              <Th>{t("col.titles")}</Th>
              <Th className="text-right">{t("col.articles")}</Th>
              <Th className="text-right">{t("col.version")}</Th>
              <Th>{t("col.updated")}</Th>
              <Th>{t("col.upload")}</Th>
              {canEdit && <Th>{t("col.actions")}</Th>}
            </tr>
          </thead>
          <tbody>
            {drafts.map((d) => (
              <tr key={d.id} data-testid="news-row">
                <Td>
                  <Link href={`/${accountId}/news/${d.id}`} className="font-medium text-emerald-800 underline">
                    {d.titles[0]?.trim() || t("untitled")}
                  </Link>
                  {d.titles.length > 1 && (
                    <div className="text-xs text-slate-700">
                      {d.titles
                        .slice(1)
                        .map((x) => x.trim() || t("untitled"))
                        .join(" · ")}
                    </div>
                  )}
                </Td>
                <Td numeric>{d.articleCount}</Td>
                <Td numeric>{d.version}</Td>
                <Td className="whitespace-nowrap text-xs">
                  <div>{d.updatedByName ?? "—"}</div>
                  <div>{fmt(d.updatedAt)}</div>
                </Td>
                <Td className="max-w-xs text-xs">
                  {d.latestUpload ? (
                    <>
                      <div>
                        {t("uploadedVersion", { version: d.latestUpload.version, at: fmt(d.latestUpload.uploadedAt) })}{" "}
                        {d.latestUpload.version === d.version ? <Badge tone="green">{t("upToDate")}</Badge> : <Badge tone="amber">{t("changedSince")}</Badge>}
                      </div>
                      <TechnicalDetails label={tm("plain.technical")} rows={[["media_id", d.latestUpload.mediaId]]} />
                    </>
                  ) : (
                    t("neverUploaded")
                  )}
                </Td>
                {canEdit && (
                  <Td>
                    <DeleteDraftButton accountId={accountId} draftId={d.id} title={d.titles[0]?.trim() || t("untitled")} />
                  </Td>
                )}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
