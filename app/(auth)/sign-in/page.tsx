import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser, hasAnyUser } from "@/lib/auth/guard";
import { safeNextPath } from "@/lib/auth/safe-next";
import { SignInForm } from "./sign-in-form";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("signInTitle") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (!(await hasAnyUser())) redirect("/setup");
  const { next } = await searchParams;
  if (await getCurrentUser()) redirect(safeNextPath(next));
  const t = await getTranslations("auth");
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold">{t("signInTitle")}</h1>
      <SignInForm next={safeNextPath(next)} />
    </>
  );
}
