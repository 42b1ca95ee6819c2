import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listAccounts } from "@/lib/accounts/account-service";
import { EmptyState } from "@/components/ui/card";

export default async function Home() {
  const user = await requirePageUser("read", "/");
  const accounts = await listAccounts(await getDb());
  if (accounts.length > 0) redirect(`/${accounts[0].id}`);
  const t = await getTranslations("home");
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">{t("title")}</h1>
      <EmptyState title={t("noAccounts")}>
        {can(user.role, "admin") ? (
          <Link className="text-emerald-800 underline" href="/admin/accounts/new">
            {t("addFirst")}
          </Link>
        ) : (
          t("askAdmin")
        )}
      </EmptyState>
    </>
  );
}
