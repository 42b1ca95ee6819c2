import "server-only";
import type { WeChatClient } from "@/lib/wechat";
import { TEMPORARY_TTL_MS, type MediaKind, type MediaStorage } from "./limits";
import type { PreparedMedia } from "./prepare";

export interface SentMedia {
  mediaId: string | null;
  url: string | null;
  expiresAt: Date | null;
}

/**
 * One file to WeChat: in-article images through media/uploadimg (a URL), the rest as temporary
 * media (media/upload, 3 days) or permanent material (material/add_material).
 */
export async function sendToWeChat(
  client: WeChatClient,
  kind: MediaKind,
  storage: MediaStorage,
  file: Pick<PreparedMedia, "bytes" | "filename" | "mime">,
  video?: { title: string; introduction: string },
): Promise<SentMedia> {
  const upload = { data: new Uint8Array(file.bytes), filename: file.filename, contentType: file.mime };
  if (kind === "inarticle") {
    const r = await client.uploadImg(upload);
    return { mediaId: null, url: r.url, expiresAt: null };
  }
  if (storage === "temporary") {
    const r = await client.uploadMedia(kind, upload);
    const created = Number.isFinite(r.created_at) && r.created_at > 0 ? r.created_at * 1000 : Date.now();
    return { mediaId: r.media_id, url: null, expiresAt: new Date(created + TEMPORARY_TTL_MS) };
  }
  const r = await client.addMaterial(kind, upload, kind === "video" ? (video ?? { title: file.filename, introduction: "" }) : undefined);
  return { mediaId: r.media_id, url: r.url ?? null, expiresAt: null };
}
