import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listAccounts } from "@/lib/accounts/account-service";
import { AccountSwitcher } from "@/components/shell/account-switcher";
import { LocaleSwitcher } from "@/components/shell/locale-switcher";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { NavLink } from "@/components/shell/nav-link";
import { env } from "@/lib/config/env";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser("read");
  const t = await getTranslations("nav");
  const tc = await getTranslations("common");
  const accounts = await listAccounts(await getDb());
  return (
    <div className="min-h-screen">
      <header className="flex flex-wrap items-center gap-4 bg-slate-900 px-4 py-3 text-white">
        <Link href="/" className="text-lg font-semibold text-emerald-300">
          {tc("appName")}
        </Link>
        <AccountSwitcher accounts={accounts.map((a) => ({ id: a.id, name: a.name, isSandbox: a.isSandbox }))} />
        <div className="ml-auto flex items-center gap-3">
          <div className="rounded bg-white px-2 py-1">
            <LocaleSwitcher />
          </div>
          <Link href="/profile" className="text-sm text-slate-200 underline-offset-2 hover:underline">
            {user.name} · {t(`role.${user.role}`)}
          </Link>
          <SignOutButton />
        </div>
      </header>
      <div className="flex">
        <nav aria-label={t("mainNav")} className="w-56 shrink-0 border-r border-slate-200 bg-white p-3">
          <ul className="space-y-1">
            {env.sandboxEnabled && (
              <li>
                <NavLink href="/sandbox">{t("sandbox")}</NavLink>
              </li>
            )}
            <li>
              <NavLink href="/profile">{t("profile")}</NavLink>
            </li>
          </ul>
          {can(user.role, "admin") && (
            <>
              <h2 className="mt-6 px-3 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("adminSection")}</h2>
              <ul className="mt-1 space-y-1">
                <li>
                  <NavLink href="/admin/accounts">{t("accounts")}</NavLink>
                </li>
                <li>
                  <NavLink href="/admin/users">{t("users")}</NavLink>
                </li>
                <li>
                  <NavLink href="/admin/audit">{t("audit")}</NavLink>
                </li>
                <li>
                  <NavLink href="/admin/history">{t("allHistory")}</NavLink>
                </li>
              </ul>
            </>
          )}
        </nav>
        <main id="main" className="min-w-0 flex-1 p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
