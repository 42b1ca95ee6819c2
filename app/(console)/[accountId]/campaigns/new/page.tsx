import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getAccount } from "@/lib/accounts/account-service";
import { listAudienceLists } from "@/lib/audiences/lists";
import { ComposeForm } from "@/components/campaigns/compose-form";
import { newsChoicesForCampaign } from "@/lib/news/news-service";
import { toPickerChoices } from "@/components/campaigns/news-choices";
import { previewTargetFor } from "@/lib/users/preview-target";

export async function generateMetadata() {
  const t = await getTranslations("campaigns");
  return { title: t("new") };
}

export default async function NewCampaignPage({ params }: { params: Promise<{ accountId: string }> }) {
  const user = await requirePageUser("edit");
  const { accountId } = await params;
  const db = await getDb();
  const account = await getAccount(db, accountId);
  if (!account) notFound();
  const t = await getTranslations("campaigns");
  const [lists, news, gate] = await Promise.all([listAudienceLists(db, accountId), newsChoicesForCampaign(db, accountId), previewTargetFor(db, user.id)]);
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">{t("new")}</h1>
      <ComposeForm
        accountId={accountId}
        accountName={account.name}
        accountType={account.type}
        campaignId={null}
        lists={lists.map((l) => ({ id: l.id, name: l.name, validCount: l.validCount }))}
        newsChoices={toPickerChoices(news)}
        canPreview={can(user.role, "preview")}
        previewGate={gate}
        timeZone={account.timezone}
        defaults={{
          name: "",
          message: { type: "text", content: "" },
          sendIgnoreReprint: 0,
          audience: { kind: "tag", tagId: undefined as unknown as number, tagName: "" },
        }}
      />
    </>
  );
}
