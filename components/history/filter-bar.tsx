"use client";
import { parseAsArrayOf, parseAsString, parseAsStringLiteral, useQueryStates } from "nuqs";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Input, Select } from "@/components/ui/input";
import { Label } from "@/components/ui/field";
import { DateField } from "@/components/ui/date-field";
import { Button } from "@/components/ui/button";
import { AUDIENCE_KINDS, CAMPAIGN_STATES, MESSAGE_TYPES } from "@/lib/enums";
import { HISTORY_SORTS } from "@/lib/history/sorts";
import { useHydrated } from "@/components/forms/use-hydrated";

const parsers = {
  q: parseAsString.withDefault(""),
  state: parseAsArrayOf(parseAsStringLiteral(CAMPAIGN_STATES)).withDefault([]),
  type: parseAsArrayOf(parseAsStringLiteral(MESSAGE_TYPES)).withDefault([]),
  audience: parseAsArrayOf(parseAsStringLiteral(AUDIENCE_KINDS)).withDefault([]),
  person: parseAsString.withDefault(""),
  from: parseAsString.withDefault(""),
  to: parseAsString.withDefault(""),
  sort: parseAsStringLiteral(HISTORY_SORTS).withDefault("newest"),
  account: parseAsArrayOf(parseAsString).withDefault([]),
  after: parseAsString.withDefault(""),
};

/** Filters live in the URL (nuqs), so a filtered view can be bookmarked and shared. */
export function HistoryFilterBar({
  people,
  accounts,
}: {
  people: { id: string; name: string }[];
  /** the admin page's account filter */ accounts?: { id: string; name: string }[];
}) {
  const t = useTranslations("history");
  const [pending, start] = useTransition();
  const [f, setF] = useQueryStates(parsers, { shallow: false, startTransition: start });
  const [q, setQ] = useState(f.q);
  // The date fields keep what is typed until it is left (a half-typed day filters nothing); a filter
  // changed elsewhere (back button, a shared link) reaches them as their new defaultValue.
  const day = (field: "from" | "to") => (v: string | null) => {
    if (v !== (f[field] || null)) void setF({ [field]: v, after: null });
  };
  const one = <T extends string>(v: T[]) => v[0] ?? "";
  // Before hydration a filter changed nothing (the list stayed unfiltered under it) and Enter sent
  // the form natively: its fields have no names, so the page reloaded with every filter dropped.
  const ready = useHydrated();
  return (
    <form
      role="search"
      aria-label={t("filters")}
      className="mb-4"
      onSubmit={(e) => {
        e.preventDefault();
        void setF({ q: q || null, after: null });
      }}
    >
      <fieldset disabled={!ready} className="flex min-w-0 flex-wrap items-start gap-3">
        <div>
          <Label htmlFor="h-q">{t("search")}</Label>
          <Input id="h-q" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("searchPlaceholder")} />
        </div>
        {accounts && (
          <div>
            <Label htmlFor="h-account">{t("account")}</Label>
            <Select id="h-account" value={one(f.account)} onChange={(e) => void setF({ account: e.target.value ? [e.target.value] : null, after: null })}>
              <option value="">{t("all")}</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </div>
        )}
        <div>
          <Label htmlFor="h-state">{t("state")}</Label>
          <Select
            id="h-state"
            value={one(f.state)}
            onChange={(e) => void setF({ state: e.target.value ? [e.target.value as (typeof CAMPAIGN_STATES)[number]] : null, after: null })}
          >
            <option value="">{t("all")}</option>
            {CAMPAIGN_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`states.${s}`)}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="h-type">{t("type")}</Label>
          <Select
            id="h-type"
            value={one(f.type)}
            onChange={(e) => void setF({ type: e.target.value ? [e.target.value as (typeof MESSAGE_TYPES)[number]] : null, after: null })}
          >
            <option value="">{t("all")}</option>
            {MESSAGE_TYPES.map((s) => (
              <option key={s} value={s}>
                {t(`types.${s}`)}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="h-audience">{t("audience")}</Label>
          <Select
            id="h-audience"
            value={one(f.audience)}
            onChange={(e) => void setF({ audience: e.target.value ? [e.target.value as (typeof AUDIENCE_KINDS)[number]] : null, after: null })}
          >
            <option value="">{t("all")}</option>
            {AUDIENCE_KINDS.map((s) => (
              <option key={s} value={s}>
                {t(`audiences.${s}`)}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="h-person">{t("person")}</Label>
          <Select id="h-person" value={f.person} onChange={(e) => void setF({ person: e.target.value || null, after: null })}>
            <option value="">{t("all")}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="h-from">{t("from")}</Label>
          <DateField id="h-from" defaultValue={f.from} onCommit={day("from")} />
        </div>
        <div>
          <Label htmlFor="h-to">{t("to")}</Label>
          <DateField id="h-to" defaultValue={f.to} onCommit={day("to")} />
        </div>
        <div>
          <Label htmlFor="h-sort">{t("sort")}</Label>
          <Select
            id="h-sort"
            value={f.sort}
            onChange={(e) => void setF({ sort: e.target.value === "newest" ? null : (e.target.value as (typeof HISTORY_SORTS)[number]), after: null })}
          >
            {HISTORY_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`sorts.${s}`)}
              </option>
            ))}
          </Select>
        </div>
        {/* Top-aligned (mt-5 = the labels' line): a date's message appearing under its field on blur
            must not move the button away from under the pointer. */}
        <Button type="submit" disabled={pending} className="mt-5">
          {pending ? t("loading") : t("apply")}
        </Button>
      </fieldset>
    </form>
  );
}
