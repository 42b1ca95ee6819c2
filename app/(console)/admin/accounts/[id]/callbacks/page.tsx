import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { callbackOverview } from "@/lib/callback/overview";
import { CallbackLog } from "@/components/callbacks/callback-log";

export async function generateMetadata() {
  const t = await getTranslations("callbacks");
  return { title: t("title") };
}

export default async function AccountCallbacksPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("admin");
  const { id } = await params;
  const db = await getDb();
  const a = await getAccount(db, id);
  if (!a) notFound();
  const t = await getTranslations("callbacks");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="text-emerald-800 underline" href={`/admin/accounts/${id}`}>
          {t("backToAccount")}
        </Link>
      </p>
      <h1 className="mb-4 text-2xl font-semibold">
        {a.name} · {t("title")}
      </h1>
      <CallbackLog o={await callbackOverview(db, id, 50)} timeZone={a.timezone} />
    </>
  );
}
