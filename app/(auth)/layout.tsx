import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "@/components/shell/locale-switcher";
import { ClientMessages } from "@/components/shell/client-messages";

export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations("common");
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between px-6 py-4">
        <span className="text-lg font-semibold text-emerald-800">{t("appName")}</span>
        <LocaleSwitcher />
      </header>
      <main id="main" className="mx-auto max-w-md px-6 pb-16 pt-6">
        <ClientMessages namespaces={["auth", "rules"]}>{children}</ClientMessages>
      </main>
    </div>
  );
}
