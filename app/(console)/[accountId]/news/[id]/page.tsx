import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getAccount } from "@/lib/accounts/account-service";
import { toMediaDTO, type MediaItemDTO } from "@/lib/media/dto";
import { getMediaItem } from "@/lib/media/media-service";
import { getDraft } from "@/lib/news/news-service";
import { NewsEditorLoader } from "@/components/news/news-editor-loader";
import { previewTargetFor } from "@/lib/users/preview-target";

export async function generateMetadata() {
  const t = await getTranslations("news");
  return { title: t("editorTitle") };
}

export default async function NewsDraftPage({ params }: { params: Promise<{ accountId: string; id: string }> }) {
  const user = await requirePageUser("read");
  const { accountId, id } = await params;
  const db = await getDb();
  const [account, draft, gate] = await Promise.all([getAccount(db, accountId), getDraft(db, accountId, id), previewTargetFor(db, user.id)]);
  if (!account || !draft) notFound();
  const t = await getTranslations("news");
  const covers: Record<string, MediaItemDTO> = {};
  for (const cid of new Set(draft.articles.map((a) => a.coverId).filter((x): x is string => !!x))) {
    const item = await getMediaItem(db, accountId, cid);
    if (item) covers[cid] = toMediaDTO(item);
  }
  const canEdit = can(user.role, "edit");
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t("editorTitle")}</h1>
        <Link href={`/${accountId}/news`} className="text-sm text-emerald-800 underline">
          {t("backToList")}
        </Link>
      </div>
      {!canEdit && <p className="mb-4 text-sm text-slate-700">{t("readOnly")}</p>}
      <NewsEditorLoader
        accountId={accountId}
        accountName={account.name}
        draftId={draft.id}
        initial={{
          version: draft.version,
          updatedAt: draft.updatedAt.toISOString(),
          updatedByName: draft.updatedBy?.name ?? null,
          updatedBySelf: draft.updatedBy?.id === user.id,
          articles: draft.articles,
        }}
        covers={covers}
        uploads={draft.uploads.map((u) => ({ ...u, uploadedAt: u.uploadedAt.toISOString(), expiresAt: u.expiresAt.toISOString() }))}
        canEdit={canEdit}
        timeZone={account.timezone}
        canPreview={can(user.role, "preview")}
        previewGate={gate}
      />
    </>
  );
}
