import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { findInvitation } from "@/lib/users/user-service";
import { Alert } from "@/components/ui/card";
import { AcceptInviteForm } from "./accept-invite-form";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("inviteTitle") };
}

/** Open to anonymous visitors, but only with a valid one-time token; it reveals nothing else. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const t = await getTranslations("auth");
  const tn = await getTranslations("nav");
  const inv = token.length >= 20 && token.length <= 200 ? await findInvitation(await getDb(), token) : null;
  if (!inv) {
    return (
      <>
        <h1 className="mb-4 text-2xl font-semibold">{t("inviteTitle")}</h1>
        <Alert tone="error">{t("inviteInvalid")}</Alert>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">{t("inviteTitle")}</h1>
      <p className="mb-6 text-sm text-slate-700">{t("inviteIntro", { email: inv.email, role: tn(`role.${inv.role}`) })}</p>
      <AcceptInviteForm token={token} />
    </>
  );
}
