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
import { MobileMenu } from "@/components/shell/mobile-menu";
import { env } from "@/lib/config/env";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser("read");
  const t = await getTranslations("nav");
  const tc = await getTranslations("common");
  const accounts = await listAccounts(await getDb());
  const switcher = accounts.map((a) => ({ id: a.id, name: a.name, isSandbox: a.isSandbox }));
  const profile = `${user.name} · ${t(`role.${user.role}`)}`;
  // One navigation, shown as the sidebar from 768 px and inside the menu panel below that.
  const mainNav = (
    <nav aria-label={t("mainNav")}>
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
  );
  return (
    <div className="min-h-screen">
      <header className="flex items-center gap-4 bg-slate-900 px-4 py-3 text-white md:flex-wrap">
        <Link href="/" className="text-lg font-semibold text-emerald-300">
          {tc("appName")}
        </Link>
        <div className="hidden md:block">
          <AccountSwitcher accounts={switcher} />
        </div>
        <div className="ml-auto hidden items-center gap-3 md:flex">
          <div className="rounded bg-white px-2 py-1">
            <LocaleSwitcher />
          </div>
          <Link href="/profile" className="text-sm text-slate-200 underline-offset-2 hover:underline">
            {profile}
          </Link>
          <SignOutButton />
        </div>
        <MobileMenu>
          <AccountSwitcher accounts={switcher} tone="menu" />
          {mainNav}
          <div className="mt-auto space-y-2 border-t border-slate-200 pt-4">
            <LocaleSwitcher />
            <Link href="/profile" className="block rounded px-3 py-2 text-sm text-slate-700 hover:bg-slate-100">
              {profile}
            </Link>
            <SignOutButton tone="menu" />
          </div>
        </MobileMenu>
      </header>
      <div className="flex">
        <div className="hidden w-56 shrink-0 border-r border-slate-200 bg-white p-3 md:block">{mainNav}</div>
        <main id="main" className="min-w-0 flex-1 p-4 md:p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
