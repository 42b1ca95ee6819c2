import { getTranslations } from "next-intl/server";
import { requirePageUser } from "@/lib/auth/guard";
import { ProfileForm } from "./profile-form";

export async function generateMetadata() {
  const t = await getTranslations("profile");
  return { title: t("title") };
}

export default async function ProfilePage() {
  const user = await requirePageUser("read");
  const t = await getTranslations("profile");
  const tn = await getTranslations("nav");
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">{t("title")}</h1>
      <p className="mb-6 text-sm text-slate-700">
        {user.email} · {tn(`role.${user.role}`)}
      </p>
      <ProfileForm defaults={{ name: user.name, wechatId: user.wechatId ?? "", previewOpenid: user.previewOpenid ?? "" }} />
    </>
  );
}
