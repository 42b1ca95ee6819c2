import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requireLayoutUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { NavLink } from "@/components/shell/nav-link";
import { Badge } from "@/components/ui/card";

/** Every page under /{accountId} is scoped to that account; an unknown or archived one is a 404. */
export default async function AccountLayout({ children, params }: { children: React.ReactNode; params: Promise<{ accountId: string }> }) {
  // The permission of the page asked for, checked here, outside loading.tsx's boundary: a refusal
  // then answers 403 instead of a streamed 200.
  await requireLayoutUser();
  const { accountId } = await params;
  const account = await getAccount(await getDb(), accountId);
  if (!account) notFound();
  const t = await getTranslations("nav");
  const ta = await getTranslations("accounts");
  const tmedia = await getTranslations("media");
  const tnews = await getTranslations("news");
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <span className="text-sm text-slate-600">{t("account")}:</span>
        <span className="font-medium">{account.name}</span>
        <Badge tone={account.type === "service" ? "blue" : "slate"}>{ta(`type.${account.type}`)}</Badge>
        {account.isSandbox && <Badge tone="amber">{t("sandbox")}</Badge>}
      </div>
      <nav aria-label={t("accountNav")} className="mb-6 border-b border-slate-200 pb-2">
        <ul className="flex flex-wrap gap-1">
          <li>
            <NavLink href={`/${accountId}`} exact>
              {t("dashboard")}
            </NavLink>
          </li>
          <li>
            <NavLink href={`/${accountId}/campaigns`}>{t("campaigns")}</NavLink>
          </li>
          <li>
            <NavLink href={`/${accountId}/media`}>{tmedia("nav")}</NavLink>
          </li>
          <li>
            <NavLink href={`/${accountId}/news`}>{tnews("nav")}</NavLink>
          </li>
          <li>
            <NavLink href={`/${accountId}/audiences`}>{t("audiences")}</NavLink>
          </li>
          <li>
            <NavLink href={`/${accountId}/history`}>{t("history")}</NavLink>
          </li>
        </ul>
      </nav>
      {children}
    </div>
  );
}
