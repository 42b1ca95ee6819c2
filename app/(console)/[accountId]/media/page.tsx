import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { TechnicalDetails } from "@/components/ui/technical-details";
import { formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";
import { ZonedTime } from "@/components/ui/zoned-time";
import { MEDIA_KINDS } from "@/lib/enums";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getAccount, listAccounts } from "@/lib/accounts/account-service";
import { formatBytes } from "@/lib/media/limits";
import { listMedia } from "@/lib/media/media-service";
import { Badge, Card, CardTitle, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { MediaUploader } from "@/components/media/media-uploader";
import { MediaRowActions } from "@/components/media/media-row-actions";
import { ConversionNote } from "@/components/media/conversion-note";

export async function generateMetadata() {
  const t = await getTranslations("media");
  return { title: t("title") };
}

const filterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  kind: z.enum(MEDIA_KINDS).optional().catch(undefined),
});

export default async function MediaPage({
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
  const f = filterSchema.parse(await searchParams);
  const t = await getTranslations("media");
  const [items, accounts] = await Promise.all([listMedia(db, accountId, { q: f.q, kind: f.kind }), listAccounts(db)]);
  const others = accounts.filter((a) => a.id !== accountId).map((a) => ({ id: a.id, name: a.name }));
  const canEdit = can(user.role, "edit");
  // With the zone's name, as everywhere a reader could doubt which clock a time is on.
  const locale = toLocale(await getLocale());
  const fmt = (d: Date) => formatDateTimeZoned(d, account.timezone, locale);
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">{t("title")}</h1>
      {canEdit && (
        <Card className="mb-6">
          <CardTitle>{t("upload")}</CardTitle>
          <MediaUploader accountId={accountId} />
        </Card>
      )}
      <form method="get" role="search" aria-label={t("searchLabel")} className="mb-4 flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <Label htmlFor="media-q">{t("search")}</Label>
          <Input id="media-q" name="q" defaultValue={f.q ?? ""} placeholder={t("searchPlaceholder")} className="w-64" />
        </div>
        <div className="space-y-1">
          <Label htmlFor="media-kind">{t("filterKind")}</Label>
          <Select id="media-kind" name="kind" defaultValue={f.kind ?? ""}>
            <option value="">{t("allKinds")}</option>
            {MEDIA_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </Select>
        </div>
        <Button type="submit" variant="secondary">
          {t("filter")}
        </Button>
      </form>
      {items.length === 0 ? (
        <EmptyState title={f.q || f.kind ? t("noMatch") : t("empty")}>{canEdit && !f.q && !f.kind ? t("emptyHint") : null}</EmptyState>
      ) : (
        <Table caption={t("title")} data-testid="media-table" stack>
          <thead>
            <tr>
              <Th>{t("col.preview")}</Th>
              <Th>{t("col.file")}</Th>
              <Th>{t("col.kind")}</Th>
              <Th>{t("col.size")}</Th>
              <Th>{t("col.id")}</Th>
              <Th>{t("col.uploaded")}</Th>
              {canEdit && <Th>{t("col.actions")}</Th>}
            </tr>
          </thead>
          <tbody>
            {items.map((m) => {
              const expired = isExpired(m.expiresAt);
              return (
                <tr key={m.id} data-testid="media-row">
                  <Td className="w-20">
                    {m.hasPreview ? (
                      // eslint-disable-next-line @next/next/no-img-element
                      <img src={`/${accountId}/media/${m.id}/preview`} alt={m.filename} className="h-14 w-14 rounded object-cover" loading="lazy" />
                    ) : (
                      <span className="flex h-14 w-14 items-center justify-center rounded bg-slate-100 text-xs text-slate-700">{t(`kind.${m.kind}`)}</span>
                    )}
                  </Td>
                  <Td>
                    <div className="font-medium break-all">{m.filename}</div>
                    {m.title && <div className="text-xs text-slate-700">{m.title}</div>}
                    <ConversionNote conversion={m.conversion} mime={m.mime} size={m.size} />
                  </Td>
                  <Td label={t("col.kind")}>
                    <div className="flex flex-col items-start gap-1">
                      <Badge tone="blue">{t(`kind.${m.kind}`)}</Badge>
                      {m.kind !== "inarticle" && <Badge tone={m.storage === "permanent" ? "green" : "amber"}>{t(`storageShort.${m.storage}`)}</Badge>}
                      {m.expiresAt && (
                        <span className={expired ? "text-xs font-medium text-red-800" : "text-xs text-slate-700"}>
                          {expired ? t("expired", { at: fmt(m.expiresAt) }) : t("expires", { at: fmt(m.expiresAt) })}
                        </span>
                      )}
                    </div>
                  </Td>
                  <Td label={t("col.size")} className="whitespace-nowrap">
                    {formatBytes(m.size)}
                    {m.width && m.height ? <div className="text-xs text-slate-700">{`${m.width}×${m.height}`}</div> : null}
                    {m.durationMs !== null ? <div className="text-xs text-slate-700">{t("seconds", { s: Math.round(m.durationMs / 100) / 10 })}</div> : null}
                  </Td>
                  <Td label={t("col.id")} className="max-w-xs">
                    <div className="text-xs">{m.mediaId || m.url ? t("plain.onWeChat") : t("plain.notOnWeChat")}</div>
                    {m.massVideos.map((v) => (
                      <div key={v.id} className="mt-1 break-all text-xs">
                        <Badge tone="green">{t("massVideoBadge")}</Badge> {v.title}
                      </div>
                    ))}
                    <TechnicalDetails
                      label={t("plain.technical")}
                      rows={[
                        ["media_id", m.mediaId ?? ""],
                        ["URL", m.url ?? ""],
                        ...m.massVideos.map((v) => [`media_id (${v.title})`, v.massMediaId] as [string, string]),
                      ]}
                    />
                  </Td>
                  <Td label={t("col.uploaded")} className="text-xs">
                    <div>{m.uploadedByName ?? "—"}</div>
                    <div>
                      <ZonedTime at={m.createdAt} timeZone={account.timezone} locale={locale} />
                    </div>
                  </Td>
                  {canEdit && (
                    <Td label={t("col.actions")}>
                      <MediaRowActions
                        accountId={accountId}
                        id={m.id}
                        filename={m.filename}
                        kind={m.kind}
                        title={m.title}
                        description={m.description}
                        otherAccounts={others}
                      />
                    </Td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </>
  );
}

function isExpired(at: Date | null): boolean {
  return at !== null && at.getTime() < Date.now();
}
