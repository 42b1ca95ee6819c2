import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requirePageUser } from "@/lib/auth/guard";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/card";
import { previewTargetFor } from "@/lib/users/preview-target";
import { ProfileForm } from "./profile-form";

export async function generateMetadata() {
  const t = await getTranslations("profile");
  return { title: t("title") };
}

export default async function ProfilePage() {
  const user = await requirePageUser("read");
  const t = await getTranslations("profile");
  const tn = await getTranslations("nav");
  const gate = await previewTargetFor(await getDb(), user.id);
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">{t("title")}</h1>
      <p className="mb-6 text-sm text-slate-700">
        {user.email} · {tn(`role.${user.role}`)}
      </p>
      {gate.ok ? (
        <Alert tone="success" className="mb-4 max-w-lg" data-testid="preview-target-status">
          {t("previewTarget.confirmed", { id: gate.to })}
        </Alert>
      ) : gate.reason === "unconfirmed" ? (
        <Alert tone="warning" className="mb-4 max-w-lg" data-testid="preview-target-status">
          {user.role === "admin"
            ? // An admin is sent to the page where they can confirm it, not told to ask an admin.
              t.rich("previewTarget.unconfirmedAdmin", {
                id: gate.value,
                link: (chunks) => (
                  <Link href="/admin/users" className="font-medium underline">
                    {chunks}
                  </Link>
                ),
              })
            : t("previewTarget.unconfirmed", { id: gate.value })}
        </Alert>
      ) : null}
      <p className="mb-4 max-w-lg text-sm text-slate-700">{t("previewTarget.changedNote")}</p>
      <ProfileForm defaults={{ name: user.name, wechatId: user.wechatId ?? "", previewOpenid: user.previewOpenid ?? "" }} />
    </>
  );
}
