"use client";
import { useParams, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useHydrated } from "@/components/forms/use-hydrated";

/** In the dark header (768 px and wider) or in the phone's menu panel, which is light. */
export function AccountSwitcher({ accounts, tone = "header" }: { accounts: { id: string; name: string; isSandbox: boolean }[]; tone?: "header" | "menu" }) {
  const t = useTranslations("nav");
  const params = useParams<{ accountId?: string }>();
  const router = useRouter();
  // An account picked before hydration was shown while the page stayed on the current account.
  const ready = useHydrated();
  const current = params.accountId && accounts.some((a) => a.id === params.accountId) ? params.accountId : "";
  if (accounts.length === 0) return null;
  return (
    <label className={tone === "header" ? "flex items-center gap-2 text-sm" : "flex flex-col gap-1 text-sm"}>
      <span className={tone === "header" ? "text-slate-300" : "font-medium text-slate-700"}>{t("account")}</span>
      <select
        className={
          tone === "header"
            ? "max-w-56 rounded border border-slate-500 bg-slate-800 px-2 py-1 text-white"
            : "w-full rounded border border-slate-400 bg-white px-2 py-2 text-slate-900"
        }
        value={current}
        disabled={!ready}
        onChange={(e) => e.target.value && router.push(`/${e.target.value}`)}
      >
        {!current && <option value="">{t("chooseAccount")}</option>}
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
            {a.isSandbox ? ` (${t("sandbox")})` : ""}
          </option>
        ))}
      </select>
    </label>
  );
}
