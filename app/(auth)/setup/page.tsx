import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { hasAnyUser } from "@/lib/auth/guard";
import { SetupForm } from "./setup-form";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("setupTitle") };
}

/** First run only: once a user exists this page sends everyone to sign in. */
export default async function SetupPage() {
  if (await hasAnyUser()) redirect("/sign-in");
  const t = await getTranslations("auth");
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">{t("setupTitle")}</h1>
      <p className="mb-6 text-sm text-slate-700">{t("setupIntro")}</p>
      <SetupForm />
    </>
  );
}
