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
 * (fetch has none). The file is the raw request body and its settings are in the query, so the
 * server streams it to disk under the kind's size limit instead of parsing a multipart form in
 * memory. The server checks and converts it again and answers with the library item.
 */
export function uploadFile(
  accountId: string,
  file: File | Blob,
  filename: string,
  o: UploadOptions,
  onProgress: (pct: number) => void,
  networkError: string,
): { promise: Promise<UploadResult>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadResult>((resolve) => {
    const q = new URLSearchParams({ kind: o.kind, storage: o.storage, filename });
    if (o.title) q.set("title", o.title);
    if (o.description) q.set("description", o.description);
    xhr.open("POST", `/${accountId}/media/upload?${q}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
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
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}
