"use client";
import { useTranslations } from "next-intl";
import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { LazyDialog } from "@/components/ui/lazy-dialog";
import { Input } from "@/components/ui/input";
import { ConversionNote } from "@/components/media/conversion-note";
import { precheck } from "@/components/media/precheck";
import { uploadFile } from "@/components/media/upload-file";
import { allowedLabel, formatBytes, formatLimit, TYPE_LABEL, typeFromMime } from "@/lib/media/limits";
import type { MediaItemDTO } from "@/lib/media/dto";
import { mediaPickerAction } from "@/app/(console)/[accountId]/media/actions";

/**
 * The article's cover: chosen from the library (thumbs and image material) or uploaded on the spot
 * (converted on the server to a JPG under 64 KB, and the result shown).
 */
export function CoverPicker({
  accountId,
  id,
  cover,
  disabled,
  error,
  onChange,
}: {
  accountId: string;
  id: string;
  cover: MediaItemDTO | null;
  disabled?: boolean;
  error?: string;
  onChange: (item: MediaItemDTO) => void;
}) {
  const t = useTranslations("news");
  const tm = useTranslations("media");
  const uid = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const library = useQuery({
    queryKey: ["covers", accountId, q],
    queryFn: async () => {
      const r = await mediaPickerAction({ accountId, kinds: ["thumb", "image"], q: q || undefined });
      if (!r.ok) throw new Error(r.error);
      return r.data;
    },
    enabled: open,
  });

  const upload = async (file: File) => {
    setUploadError(null);
    const c = await precheck("thumb", file);
    if (!c.ok) {
      setUploadError(
        c.code === "tooLarge"
          ? tm("rule.tooLarge", { kind: tm("kind.thumb"), max: formatLimit(c.max!), size: formatBytes(file.size) })
          : tm("rule.wrongType", { kind: tm("kind.thumb"), allowed: allowedLabel("thumb"), found: c.type ? TYPE_LABEL[c.type] : "unknown" }),
      );
      return;
    }
    setProgress(0);
    const r = await uploadFile(accountId, file, file.name, { kind: "thumb", storage: "permanent" }, setProgress, tm("error.network")).promise;
    setProgress(null);
    if (r.ok) onChange(r.item);
    else setUploadError(r.error);
  };

  const type = cover ? typeFromMime(cover.mime) : null;
  const errorId = error || uploadError ? `${id}-error` : undefined;
  return (
    <fieldset className="space-y-2" aria-describedby={errorId}>
      <legend className="text-sm font-medium text-slate-900">{t("field.cover")}</legend>
      <div className="flex items-start gap-3">
        <div className="flex h-20 w-32 flex-none items-center justify-center overflow-hidden rounded border border-slate-300 bg-slate-100">
          {cover ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img src={cover.fileUrl} alt={t("coverAlt", { name: cover.filename })} className="h-full w-full object-cover" />
          ) : (
            <span className="text-xs text-slate-700">{t("noCover")}</span>
          )}
        </div>
        <div className="min-w-0 space-y-1 text-sm">
          {cover && (
            <>
              <p className="break-all font-medium">{cover.filename}</p>
              <p data-testid="cover-info" className="text-xs text-slate-700">
                {`${type ? TYPE_LABEL[type] : cover.mime} · ${formatBytes(cover.size)}`}
                {cover.width && cover.height ? ` · ${cover.width}×${cover.height}` : ""}
              </p>
              <ConversionNote conversion={cover.conversion} mime={cover.mime} size={cover.size} />
            </>
          )}
          <div className="flex flex-wrap gap-2 pt-1">
            <LazyDialog
              open={open}
              onOpenChange={setOpen}
              trigger={
                <Button type="button" variant="secondary" size="sm" disabled={disabled}>
                  {t("pickCover")}
                </Button>
              }
              title={t("pickCoverTitle")}
              description={t("pickCoverBody")}
              className="w-[min(92vw,44rem)]"
            >
              <div className="space-y-3">
                <Input aria-label={t("searchLibrary")} placeholder={t("searchLibrary")} value={q} onChange={(e) => setQ(e.target.value)} />
                {library.isLoading && <p role="status">{t("loading")}</p>}
                {library.isError && <p role="alert">{String(library.error?.message)}</p>}
                {library.data && library.data.length === 0 && <p className="text-sm text-slate-700">{t("libraryEmpty")}</p>}
                <ul className="grid max-h-96 grid-cols-3 gap-2 overflow-y-auto sm:grid-cols-4">
                  {library.data?.map((m) => (
                    <li key={m.id}>
                      <button
                        type="button"
                        onClick={() => {
                          onChange(m);
                          setOpen(false);
                        }}
                        className="block w-full rounded border border-slate-200 p-1 text-left text-xs hover:border-emerald-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600"
                      >
                        {/* eslint-disable-next-line @next/next/no-img-element */}
                        <img src={m.previewUrl ?? m.fileUrl} alt="" className="h-20 w-full object-cover" />
                        <span className="mt-1 block truncate">{m.filename}</span>
                        <Badge>{tm(`kind.${m.kind}`)}</Badge>
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            </LazyDialog>
            <Button type="button" variant="secondary" size="sm" disabled={disabled || progress !== null} onClick={() => fileRef.current?.click()}>
              {t("uploadCover")}
            </Button>
            <input
              ref={fileRef}
              id={`${uid}-cover-file`}
              type="file"
              accept="image/*"
              className="sr-only"
              tabIndex={-1}
              aria-label={t("uploadCover")}
              data-testid="cover-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void upload(f);
                e.target.value = "";
              }}
            />
          </div>
          <p className="text-xs text-slate-700">{t("coverHint")}</p>
        </div>
      </div>
      {progress !== null && <progress className="h-2 w-full" max={100} value={progress} aria-label={t("coverProgress")} />}
      {(error || uploadError) && (
        <p id={errorId} role="alert" className="text-xs font-medium text-red-700">
          {uploadError ?? error}
        </p>
      )}
    </fieldset>
  );
}
