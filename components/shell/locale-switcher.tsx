"use client";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { LOCALES } from "@/lib/i18n/locales";
import { setLocaleAction } from "./locale-actions";
import { useHydrated } from "@/components/forms/use-hydrated";

export function LocaleSwitcher() {
  const t = useTranslations("common");
  const locale = useLocale();
  const router = useRouter();
  const [pending, start] = useTransition();
  // A language picked before hydration was shown but not applied (nor kept in the cookie).
  const ready = useHydrated();
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      <span>{t("language")}</span>
      <select
        className="rounded border border-slate-400 bg-white px-2 py-1"
        value={locale}
        disabled={pending || !ready}
        onChange={(e) => {
          const next = e.target.value;
          start(async () => {
            await setLocaleAction(next);
            router.refresh();
          });
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {l === "en" ? "English" : "简体中文"}
          </option>
        ))}
      </select>
    </label>
  );
}
