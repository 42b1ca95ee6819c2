import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { DEFAULT_TIME_ZONE, formatDateTimeZoned, parseDayText } from "@/lib/i18n/time";
import { refusedHistoryDays } from "@/lib/history/filters";
import { refusedDaysMessage } from "@/lib/history/refused-days";
import { toLocale } from "@/lib/i18n/locales";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { listAudit } from "@/lib/audit/list-audit";
import { auditActionChoices, auditActionNamer } from "@/lib/audit/action-name";
import { TechnicalDetails } from "@/components/ui/technical-details";
import { listAccounts } from "@/lib/accounts/account-service";
import { Alert, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Input, Select } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { DateField } from "@/components/ui/date-field";
import { Button } from "@/components/ui/button";

export async function generateMetadata() {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

type Search = { action?: string; actor?: string; account?: string; from?: string; to?: string; before?: string };

function parseDate(v?: string, endOfDay = false): Date | undefined {
  const day = v ? parseDayText(v) : null;
  if (!day) return undefined;
  const d = new Date(`${day}T${endOfDay ? "23:59:59.999" : "00:00:00"}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageUser("admin");
  const sp = await searchParams;
  const t = await getTranslations("audit");
  const db = await getDb();
  const accounts = await listAccounts(db);
  // A day that is no calendar day (?from=2020-13-45) is refused in words naming the field, as on the
  // history page, not dropped silently with the list shown as if unfiltered.
  const refused = refusedHistoryDays(sp);
  const before = sp.before && /^\d+$/.test(sp.before) ? Number(sp.before) : undefined;
  const { rows, nextBefore } = await listAudit(db, {
    action: sp.action?.slice(0, 64) || undefined,
    actor: sp.actor?.slice(0, 254) || undefined,
    accountId: sp.account || undefined,
    from: parseDate(sp.from),
    to: parseDate(sp.to, true),
    before,
  });
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  // A row of an account is shown in that account's zone; a row of none (sign-ins, users) in Beijing time.
  const accountZone = new Map(accounts.map((a) => [a.id, a.timezone]));
  const locale = toLocale(await getLocale());
  const actionName = await auditActionNamer();
  const actionChoices = await auditActionChoices();
  const nextQuery = new URLSearchParams(
    Object.entries({ ...sp, before: String(nextBefore ?? "") }).filter(([k, v]) => v && !refused.some((r) => r.field === k)) as [string, string][],
  );
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">{t("title")}</h1>
      <p className="mb-4 text-sm text-slate-700">{t("zoneNote")}</p>
      {refused.length > 0 && (
        <div className="mb-4" id="audit-refused" data-testid="audit-refused">
          <Alert tone="error">{await refusedDaysMessage(refused)}</Alert>
        </div>
      )}
      <form method="get" className="mb-4 flex flex-wrap items-start gap-3" role="search" aria-label={t("filters")}>
        <div>
          <Label htmlFor="f-action">{t("action")}</Label>
          {/* Plain words to pick from, not the stored action names to guess (it was a text field
              with "campaign." as its placeholder). */}
          <Select id="f-action" name="action" defaultValue={sp.action ?? ""}>
            <option value="">{t("all")}</option>
            {actionChoices.map((g) => (
              <optgroup key={g.group} label={g.label}>
                <option value={`${g.group}.`}>{g.all}</option>
                {g.actions.map((a) => (
                  <option key={a.value} value={a.value}>
                    {a.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="f-actor">{t("actor")}</Label>
          <Input id="f-actor" name="actor" defaultValue={sp.actor} placeholder={t("actorPlaceholder")} />
        </div>
        <div>
          <Label htmlFor="f-account">{t("account")}</Label>
          <Select id="f-account" name="account" defaultValue={sp.account ?? ""}>
            <option value="">{t("all")}</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="f-from">{t("from")}</Label>
          <DateField
            id="f-from"
            name="from"
            defaultValue={sp.from}
            aria-invalid={refused.some((r) => r.field === "from") || undefined}
            aria-describedby={refused.length ? "audit-refused" : undefined}
          />
        </div>
        <div>
          <Label htmlFor="f-to">{t("to")}</Label>
          <DateField
            id="f-to"
            name="to"
            defaultValue={sp.to}
            aria-invalid={refused.some((r) => r.field === "to") || undefined}
            aria-describedby={refused.length ? "audit-refused" : undefined}
          />
        </div>
        {/* Top-aligned beside the labelled fields, so a date's message appearing under its field does
            not move the button away from under the pointer. */}
        <Button type="submit" className="mt-5">
          {t("apply")}
        </Button>
      </form>
      {rows.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table caption={t("title")} stack>
          <thead>
            <tr>
              <Th>{t("at")}</Th>
              <Th>{t("actor")}</Th>
              <Th>{t("action")}</Th>
              <Th>{t("account")}</Th>
              <Th>{t("entity")}</Th>
              <Th>{t("summary")}</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <Td className="whitespace-nowrap font-medium md:font-normal">
                  {formatDateTimeZoned(r.at, (r.accountId && accountZone.get(r.accountId)) || DEFAULT_TIME_ZONE, locale)}
                </Td>
                <Td label={t("actor")} className="break-words">
                  {r.actorName ?? r.actorEmail ?? t("system")}
                  {r.actorName && r.actorEmail && <div className="text-xs text-slate-600">{r.actorEmail}</div>}
                </Td>
                <Td label={t("action")}>{actionName(r.action)}</Td>
                <Td label={t("account")} className="whitespace-nowrap">
                  {r.accountId ? (accountName.get(r.accountId) ?? r.accountId) : "—"}
                </Td>
                <Td label={t("entity")} className="text-xs">
                  {t.has(`entityType.${r.entityType}`) ? t(`entityType.${r.entityType}`) : r.entityType}
                </Td>
                <Td label={t("summary")}>
                  <TechnicalDetails
                    label={t("technical")}
                    rows={[
                      ["action", r.action],
                      ["entity", `${r.entityType}${r.entityId ? `:${r.entityId}` : ""}`],
                    ]}
                    json={r.summary}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {nextBefore && (
        <Link className="mt-4 inline-block text-emerald-800 underline" href={`/admin/audit?${nextQuery}`}>
          {t("older")}
        </Link>
      )}
    </>
  );
}
