"use client";
import type { MediaItemDTO } from "@/lib/media/dto";
import type { MediaKind, MediaStorage } from "@/lib/media/limits";

export interface UploadOptions {
  kind: MediaKind;
  storage: MediaStorage;
  title?: string;
  description?: string;
}

export type UploadResult = { ok: true; item: MediaItemDTO } | { ok: false; error: string; field?: string };

/**
 * Sends one file to the account's upload route with XMLHttpRequest, for its upload progress
 * (fetch has none). The server checks and converts it again and answers with the library item.
 */
export function uploadFile(accountId: string, file: File | Blob, filename: string, o: UploadOptions, onProgress: (pct: number) => void, networkError: string): { promise: Promise<UploadResult>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadResult>((resolve) => {
    const fd = new FormData();
    fd.append("file", file, filename);
    fd.append("kind", o.kind);
    fd.append("storage", o.storage);
    if (o.title) fd.append("title", o.title);
    if (o.description) fd.append("description", o.description);
    xhr.open("POST", `/${accountId}/media/upload`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: { item?: MediaItemDTO; error?: string; field?: string } = {};
      try {
        body = JSON.parse(xhr.responseText || "{}");
      } catch {
        body = {};
      }
      if (xhr.status === 200 && body.item) resolve({ ok: true, item: body.item });
      else resolve({ ok: false, error: body.error ?? `HTTP ${xhr.status}`, field: body.field });
    };
    xhr.onerror = () => resolve({ ok: false, error: networkError });
    xhr.onabort = () => resolve({ ok: false, error: networkError });
    xhr.send(fd);
  });
  return { promise, abort: () => xhr.abort() };
}
