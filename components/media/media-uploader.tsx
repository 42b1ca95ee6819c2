"use client";
import { useTranslations } from "next-intl";
import { TechnicalDetails } from "@/components/ui/technical-details";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { UploadCloud } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { Field, Label } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import {
  allowedLabel,
  formatBytes,
  formatLimit,
  KINDS,
  RULES,
  TYPE_LABEL,
  VIDEO_DESCRIPTION_MAX,
  VIDEO_TITLE_MAX,
  type MediaKind,
  type MediaStorage,
} from "@/lib/media/limits";
import type { MediaItemDTO } from "@/lib/media/dto";
import { cn } from "@/lib/utils";
import { useHydrated } from "@/components/forms/use-hydrated";
import { ConversionNote } from "./conversion-note";
import { precheck } from "./precheck";
import { uploadFile } from "./upload-file";

type State =
  | { s: "checking" }
  | { s: "queued" }
  | { s: "uploading"; pct: number }
  | { s: "processing" }
  | { s: "done"; item: MediaItemDTO }
  | { s: "refused"; error: string };

interface Job {
  id: number;
  file: File;
  kind: MediaKind;
  storage: MediaStorage;
  title: string;
  description: string;
  state: State;
  willConvert: boolean;
}

const PARALLEL = 3;

/**
 * Drag and drop, paste or pick several files; each is checked in the browser, then uploaded with
 * its own progress bar. A refused file names the limit and leaves the others going.
 */
export function MediaUploader({
  accountId,
  defaultKind = "image",
  onUploaded,
}: {
  accountId: string;
  defaultKind?: MediaKind;
  onUploaded?: (item: MediaItemDTO) => void;
}) {
  const t = useTranslations("media");
  const router = useRouter();
  const uid = useId();
  const [kind, setKind] = useState<MediaKind>(defaultKind);
  const [storage, setStorage] = useState<MediaStorage>("permanent");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [titleError, setTitleError] = useState<string | null>(null);
  const [jobs, setJobs] = useState<Job[]>([]);
  const [over, setOver] = useState(false);
  const nextId = useRef(1);
  const inputRef = useRef<HTMLInputElement>(null);
  const running = useRef(0);
  const queue = useRef<Job[]>([]);
  // Kind, storage and title picked before hydration were shown but not used (the file went up as a permanent image).
  const ready = useHydrated();

  const update = (id: number, state: State) => setJobs((js) => js.map((j) => (j.id === id ? { ...j, state } : j)));

  const pump = useRef<() => void>(() => {});
  useEffect(() => {
    pump.current = () => {
      while (running.current < PARALLEL && queue.current.length) {
        const job = queue.current.shift()!;
        running.current++;
        update(job.id, { s: "uploading", pct: 0 });
        const { promise } = uploadFile(
          accountId,
          job.file,
          job.file.name,
          { kind: job.kind, storage: job.storage, title: job.title, description: job.description },
          (pct) => update(job.id, pct >= 100 ? { s: "processing" } : { s: "uploading", pct }),
          t("error.network"),
        );
        promise.then((r) => {
          running.current--;
          update(job.id, r.ok ? { s: "done", item: r.item } : { s: "refused", error: r.error });
          if (r.ok) {
            onUploaded?.(r.item);
            router.refresh();
          }
          pump.current();
        });
      }
    };
  }, [accountId, onUploaded, router, t]);

  const add = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      const needsTitle = kind === "video" && storage === "permanent";
      if (needsTitle && !title.trim()) {
        setTitleError(t("error.videoTitle"));
        return;
      }
      setTitleError(null);
      // A title and description belong to the video they were typed for: only a video carries them,
      // and they are cleared once it is queued (an image uploaded next got the video's caption).
      const isVideo = kind === "video";
      const made: Job[] = files.map((file) => ({
        id: nextId.current++,
        file,
        kind,
        storage: kind === "inarticle" ? "permanent" : storage,
        title: isVideo ? title.trim() : "",
        description: isVideo ? description.trim() : "",
        state: { s: "checking" },
        willConvert: false,
      }));
      if (isVideo) {
        setTitle("");
        setDescription("");
      }
      setJobs((js) => [...made, ...js]);
      for (const job of made) {
        const c = await precheck(job.kind, job.file);
        if (!c.ok) {
          const kindLabel = t(`kind.${job.kind}`);
          const error =
            c.code === "wrongType"
              ? t("rule.wrongType", { kind: kindLabel, allowed: allowedLabel(job.kind), found: c.type ? TYPE_LABEL[c.type] : "unknown" })
              : c.code === "tooLarge"
                ? t("rule.tooLarge", { kind: kindLabel, max: formatLimit(c.max!), size: formatBytes(job.file.size) })
                : c.code === "tooLong"
                  ? t("rule.tooLong", { kind: kindLabel, maxSeconds: String(RULES.voice.maxSeconds), seconds: String(c.seconds) })
                  : t("rule.empty", { kind: kindLabel });
          update(job.id, { s: "refused", error });
          continue;
        }
        setJobs((js) => js.map((j) => (j.id === job.id ? { ...j, willConvert: c.convert, state: { s: "queued" } } : j)));
        queue.current.push(job);
        pump.current();
      }
    },
    [description, kind, storage, t, title],
  );

  // Paste anywhere on the page adds the pasted files (screenshots, copied pictures).
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest("input[type=text], input:not([type]), textarea, [contenteditable=true]")) return;
      const files = Array.from(e.clipboardData?.files ?? []);
      if (files.length) {
        e.preventDefault();
        void add(files);
      }
    };
    document.addEventListener("paste", onPaste);
    return () => document.removeEventListener("paste", onPaste);
  }, [add]);

  const rule = RULES[kind];
  return (
    <div className="space-y-4">
      <fieldset disabled={!ready} className="min-w-0 space-y-4">
        <div className="grid gap-4 md:grid-cols-3">
          <Field id={`${uid}-kind`} label={t("kindLabel")} hint={t(`kindHint.${kind}`, { max: formatLimit(rule.max), allowed: allowedLabel(kind) })}>
            <Select value={kind} onChange={(e) => setKind(e.target.value as MediaKind)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </Select>
          </Field>
          {kind !== "inarticle" && (
            <fieldset className="space-y-1">
              <legend className="text-sm font-medium text-slate-900">{t("storageLabel")}</legend>
              {(["permanent", "temporary"] as const).map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm">
                  <input type="radio" name={`${uid}-storage`} value={s} checked={storage === s} onChange={() => setStorage(s)} className="accent-emerald-700" />
                  {t(`storage.${s}`)}
                </label>
              ))}
              <p className="text-xs text-slate-600">{t("storageHint")}</p>
            </fieldset>
          )}
          {kind === "video" && (
            <div className="space-y-3">
              <Field
                id={`${uid}-title`}
                label={storage === "permanent" ? t("videoTitleRequired") : t("videoTitle")}
                error={titleError ?? undefined}
                hint={`${title.length}/${VIDEO_TITLE_MAX}`}
              >
                <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={VIDEO_TITLE_MAX} />
              </Field>
              <Field id={`${uid}-desc`} label={t("videoDescription")} hint={`${description.length}/${VIDEO_DESCRIPTION_MAX}`}>
                <Textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={VIDEO_DESCRIPTION_MAX} className="min-h-16" />
              </Field>
            </div>
          )}
        </div>

        <div
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            void add(Array.from(e.dataTransfer.files));
          }}
          className={cn(
            "flex flex-col items-center gap-2 rounded-lg border-2 border-dashed p-6 text-center",
            over ? "border-emerald-600 bg-emerald-50" : "border-slate-300",
          )}
          data-testid="dropzone"
        >
          <UploadCloud aria-hidden className="h-8 w-8 text-slate-500" />
          <p className="text-sm text-slate-700">{t("dropHint")}</p>
          <Label htmlFor={`${uid}-files`} className="sr-only">
            {t("chooseFiles")}
          </Label>
          <input
            ref={inputRef}
            id={`${uid}-files`}
            type="file"
            multiple
            className="sr-only"
            accept={kind === "voice" ? "audio/mpeg,audio/amr,.amr,.mp3" : kind === "video" ? "video/mp4,.mp4" : "image/*"}
            onChange={(e) => {
              void add(Array.from(e.target.files ?? []));
              e.target.value = "";
            }}
          />
          <Button type="button" variant="secondary" onClick={() => inputRef.current?.click()}>
            {t("chooseFiles")}
          </Button>
        </div>
      </fieldset>

      {jobs.length > 0 && (
        <ul className="space-y-2" aria-label={t("uploadsLabel")} aria-live="polite">
          {jobs.map((j) => (
            <li key={j.id} className="rounded-md border border-slate-200 p-3 text-sm" data-testid="upload-job">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{j.file.name}</span>
                <span className="text-slate-600">{formatBytes(j.file.size)}</span>
                <Badge>{t(`kind.${j.kind}`)}</Badge>
                {j.state.s === "done" && <Badge tone="green">{t("state.done")}</Badge>}
                {j.state.s === "refused" && <Badge tone="red">{t("state.refused")}</Badge>}
                {(j.state.s === "checking" || j.state.s === "queued" || j.state.s === "processing") && <Badge tone="blue">{t(`state.${j.state.s}`)}</Badge>}
                {j.willConvert && j.state.s !== "done" && j.state.s !== "refused" && <span className="text-xs text-slate-600">{t("willConvert")}</span>}
              </div>
              {(j.state.s === "uploading" || j.state.s === "processing") && (
                <progress
                  className="mt-2 h-2 w-full"
                  max={100}
                  value={j.state.s === "uploading" ? j.state.pct : 100}
                  aria-label={t("progressOf", { name: j.file.name })}
                />
              )}
              {j.state.s === "refused" && (
                <p role="alert" className="mt-1 text-red-800">
                  {j.state.error}
                </p>
              )}
              {j.state.s === "done" && (
                <div className="mt-1 space-y-1">
                  <ConversionNote conversion={j.state.item.conversion} mime={j.state.item.mime} size={j.state.item.size} />
                  {/* Plain words first; WeChat's media_id (or the picture's URL) behind 「技术详情」. */}
                  <p className="text-xs text-slate-700" data-testid="upload-result">
                    {j.state.item.mediaId ? t("plain.usable") : t("plain.inArticle")}
                  </p>
                  <TechnicalDetails
                    label={t("plain.technical")}
                    rows={j.state.item.mediaId ? [["media_id", j.state.item.mediaId]] : [["URL", j.state.item.url ?? ""]]}
                  />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
