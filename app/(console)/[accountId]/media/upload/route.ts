import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { MEDIA_KINDS, MEDIA_STORAGES } from "@/db/schema";
import { withRouteUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { toMediaDTO } from "@/lib/media/dto";
import { explainMediaError } from "@/lib/media/explain";
import { VIDEO_DESCRIPTION_MAX, VIDEO_TITLE_MAX } from "@/lib/media/limits";
import { uploadMediaItem } from "@/lib/media/media-service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const fields = z.object({
  kind: z.enum(MEDIA_KINDS),
  storage: z.enum(MEDIA_STORAGES).default("permanent"),
  title: z.string().trim().max(VIDEO_TITLE_MAX).optional(),
  description: z.string().trim().max(VIDEO_DESCRIPTION_MAX).optional(),
});

/**
 * One file per request (multipart `file`, `kind`, `storage`, and for video `title`/`description`),
 * so the browser can show each file's upload progress. The server checks and converts again
 * before anything is sent to WeChat.
 */
export const POST = withRouteUser("edit", async (user, req: Request, ctx: { params: Promise<{ accountId: string }> }) => {
  const { accountId } = await ctx.params;
  const t = await getTranslations("media");
  const db = await getDb();
  if (!(await getAccount(db, accountId))) return Response.json({ error: t("error.account") }, { status: 404 });
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return Response.json({ error: t("error.noFile"), field: "file" }, { status: 400 });
  }
  const file = form.get("file");
  if (!(file instanceof File)) return Response.json({ error: t("error.noFile"), field: "file" }, { status: 400 });
  const parsed = fields.safeParse({
    kind: form.get("kind") ?? undefined,
    storage: form.get("storage") || undefined,
    title: form.get("title") ?? undefined,
    description: form.get("description") ?? undefined,
  });
  if (!parsed.success) return Response.json({ error: t("error.fields") }, { status: 400 });
  const v = parsed.data;
  if (v.kind === "video" && v.storage === "permanent" && !v.title) return Response.json({ error: t("error.videoTitle"), field: "title" }, { status: 400 });
  try {
    const item = await uploadMediaItem(db, user, accountId, { kind: v.kind, storage: v.storage, filename: file.name || "file", bytes: new Uint8Array(await file.arrayBuffer()), title: v.title, description: v.description });
    return Response.json({ item: toMediaDTO(item) });
  } catch (e) {
    const msg = await explainMediaError(e);
    if (msg) return Response.json({ error: msg, field: "file" }, { status: 422 });
    console.error("[qunfa] media upload failed", e);
    return Response.json({ error: t("error.unexpected") }, { status: 500 });
  }
});
