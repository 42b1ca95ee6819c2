import { readFile } from "node:fs/promises";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { MEDIA_KINDS, MEDIA_STORAGES } from "@/lib/enums";
import { withRouteUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { BodyTooLargeError, bodyToTempFile, formatBodyLimit, mediaUploadLimit, type TempUpload } from "@/lib/http/body-limit";
import { toMediaDTO } from "@/lib/media/dto";
import { explainMediaError } from "@/lib/media/explain";
import { VIDEO_DESCRIPTION_MAX, VIDEO_TITLE_MAX } from "@/lib/media/limits";
import { uploadMediaItem } from "@/lib/media/media-service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const fields = z.object({
  kind: z.enum(MEDIA_KINDS),
  storage: z.enum(MEDIA_STORAGES).default("permanent"),
  filename: z.string().trim().max(255).optional(),
  title: z.string().trim().max(VIDEO_TITLE_MAX).optional(),
  description: z.string().trim().max(VIDEO_DESCRIPTION_MAX).optional(),
});

/**
 * One file per request, as the raw body (`kind`, `storage`, `filename`, and for video
 * `title`/`description` in the query), so the browser can show each file's upload progress. The
 * body is streamed to a temporary file and cut off at the kind's limit before anything else reads
 * it. The server checks and converts again before anything is sent to WeChat.
 */
export const POST = withRouteUser("edit", async (user, req: Request, ctx: { params: Promise<{ accountId: string }> }) => {
  const { accountId } = await ctx.params;
  const t = await getTranslations("media");
  const db = await getDb();
  if (!(await getAccount(db, accountId))) return Response.json({ error: t("error.account") }, { status: 404 });
  const q = new URL(req.url).searchParams;
  const parsed = fields.safeParse({
    kind: q.get("kind") ?? undefined,
    storage: q.get("storage") || undefined,
    filename: q.get("filename") || undefined,
    title: q.get("title") ?? undefined,
    description: q.get("description") ?? undefined,
  });
  if (!parsed.success) return Response.json({ error: t("error.fields") }, { status: 400 });
  const v = parsed.data;
  if (v.kind === "video" && v.storage === "permanent" && !v.title) return Response.json({ error: t("error.videoTitle"), field: "title" }, { status: 400 });
  const limit = mediaUploadLimit(v.kind);
  let tmp: TempUpload;
  try {
    tmp = await bodyToTempFile(req, limit);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) return Response.json({ error: t("error.network"), field: "file" }, { status: 400 });
    const te = await getTranslations("errors");
    return Response.json({ error: te("bodyLimit.file", { limit: formatBodyLimit(limit), kind: t(`kind.${v.kind}`) }), field: "file" }, { status: 413 });
  }
  try {
    if (tmp.size === 0) return Response.json({ error: t("error.noFile"), field: "file" }, { status: 400 });
    // Within the kind's limit: converting and storing work on the bytes.
    const bytes = new Uint8Array(await readFile(tmp.path));
    const item = await uploadMediaItem(db, user, accountId, {
      kind: v.kind,
      storage: v.storage,
      filename: v.filename || "file",
      bytes,
      title: v.title,
      description: v.description,
    });
    return Response.json({ item: toMediaDTO(item) });
  } catch (e) {
    const msg = await explainMediaError(e);
    if (msg) return Response.json({ error: msg, field: "file" }, { status: 422 });
    console.error("[qunfa] media upload failed", e);
    return Response.json({ error: t("error.unexpected") }, { status: 500 });
  } finally {
    await tmp.remove();
  }
});
