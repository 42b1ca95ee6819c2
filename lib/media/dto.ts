import type { MediaConversion } from "@/db/schema/media";
import type { MediaKind, MediaStorage } from "./limits";
import type { MediaItemView } from "./media-service";

export type { MediaConversion };

/** A library item as the browser gets it (no bytes, dates as ISO strings, its URLs in the console). */
export interface MediaItemDTO {
  id: string;
  kind: MediaKind;
  storage: MediaStorage;
  mediaId: string | null;
  url: string | null;
  filename: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  title: string | null;
  description: string | null;
  conversion: MediaConversion | null;
  expiresAt: string | null;
  uploadedByName: string | null;
  createdAt: string;
  previewUrl: string | null;
  fileUrl: string;
  massVideos: { id: string; massMediaId: string; title: string; description: string; createdAt: string }[];
}

export function toMediaDTO(i: MediaItemView): MediaItemDTO {
  return {
    id: i.id,
    kind: i.kind,
    storage: i.storage,
    mediaId: i.mediaId,
    url: i.url,
    filename: i.filename,
    mime: i.mime,
    size: i.size,
    width: i.width,
    height: i.height,
    durationMs: i.durationMs,
    title: i.title,
    description: i.description,
    conversion: i.conversion,
    expiresAt: i.expiresAt?.toISOString() ?? null,
    uploadedByName: i.uploadedByName,
    createdAt: i.createdAt.toISOString(),
    previewUrl: i.hasPreview ? `/${i.accountId}/media/${i.id}/preview` : null,
    fileUrl: `/${i.accountId}/media/${i.id}/file`,
    massVideos: i.massVideos.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
  };
}
