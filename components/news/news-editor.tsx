"use client";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFieldArray, useForm, useWatch, type FieldErrors } from "react-hook-form";
import { toast } from "@/components/ui/toast";
import { Plus, UploadCloud } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, Card, CardTitle } from "@/components/ui/card";
import { CheckboxField, Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { uploadFile } from "@/components/media/upload-file";
import { precheck } from "@/components/media/precheck";
import { toLocale } from "@/lib/i18n/locales";
import { DEFAULT_TIME_ZONE, formatDateTimeZoned } from "@/lib/i18n/time";
import { TechnicalDetails } from "@/components/ui/technical-details";
import type { MediaItemDTO } from "@/lib/media/dto";
import { allowedLabel, formatBytes, formatLimit, TYPE_LABEL } from "@/lib/media/limits";
import { imageSources, isWeChatImageUrl, strippedLinks } from "@/lib/news/html";
import { ARTICLES_MAX, AUTHOR_MAX, CONTENT_BYTES_LIMIT, CONTENT_CHARS_LIMIT, DIGEST_MAX, LIMIT_VALUES, TITLE_MAX, utf8Bytes } from "@/lib/news/limits";
import { mediaFileUrl, toPreviewArticles } from "@/lib/news/preview";
import type { ArticleValues, NewsFormValues } from "@/lib/news/schemas";
import { emptyArticle } from "@/lib/news/article";
import { lazyZodResolver, preloadSchema } from "@/components/forms/lazy-resolver";
import { onFirstInteraction } from "@/components/ui/first-interaction";
import { mergeArticles, type MergeClash } from "@/lib/news/merge";
import { labelFor } from "@/components/forms/use-server-form";
import { useArticleLabels } from "./article-labels";
import { cn } from "@/lib/utils";
import { loadDraftAction, saveDraftAction, uploadNewsAction } from "@/app/(console)/[accountId]/news/actions";
import { previewAction } from "@/app/(console)/[accountId]/campaigns/actions";
import { PreviewButton, type PreviewGate } from "@/components/campaigns/preview-button";
import { ArticleList } from "./article-list";
import { CoverPicker } from "./cover-picker";
import { canon, clearLocal, readLocal, writeLocal } from "./local-copy";
import { PhonePreview } from "./phone-preview";
import { RichEditor } from "./rich-editor";

// The schema (and zod) is fetched at the first key or pointer press (components/forms/lazy-resolver.ts).
const loadSchema = () => import("@/lib/news/schemas").then((m) => m.newsSchema);

export interface UploadInfo {
  id: string;
  version: number;
  mediaId: string;
  titles: string[];
  uploadedAt: string;
  expiresAt: string;
  uploadedByName: string | null;
}

export interface NewsEditorProps {
  accountId: string;
  accountName: string;
  draftId: string;
  /** updatedBySelf: the last save was this person's own (another tab or window), not a colleague's. */
  initial: { version: number; updatedAt: string; updatedByName: string | null; updatedBySelf?: boolean; articles: ArticleValues[] };
  covers: Record<string, MediaItemDTO>;
  uploads: UploadInfo[];
  canEdit: boolean;
  /** The account's time zone: every time the editor shows is written in it (lib/i18n/time.ts). */
  timeZone?: string;
  /** "Preview on my WeChat": allowed for this user, and where it goes (their WeChat ID), if set. */
  canPreview?: boolean;
  previewGate: PreviewGate;
}

type SaveState = { phase: "idle" } | { phase: "saving" } | { phase: "error"; message: string } | { phase: "conflict"; message: string };

const AUTOSAVE_MS = 1200;
const RETRY_MS = 5000;
const FIELD_ORDER = ["title", "author", "digest", "coverId", "content", "contentSourceUrl"] as const;

interface Start {
  articles: ArticleValues[];
  restoredAt: number | null;
  localConflict: boolean;
}

/** This browser's copy wins when it is newer than the server's and differs (a crash, a lost connection). */
function startFrom(p: NewsEditorProps): Start {
  const plain = { articles: p.initial.articles, restoredAt: null, localConflict: false };
  if (!p.canEdit) return plain;
  const local = readLocal(p.draftId);
  if (local && local.at > Date.parse(p.initial.updatedAt) && canon(local.articles) !== canon(p.initial.articles)) {
    return { articles: local.articles, restoredAt: local.at, localConflict: local.baseVersion !== p.initial.version };
  }
  return plain;
}

/**
 * The news editor: 1–8 articles with live WeChat limits, autosave (debounced, on leaving, and a copy
 * in this browser), optimistic concurrency, a phone preview, and "Upload to WeChat". Rendered in the
 * browser only (news-editor-loader.tsx), so it can start from this browser's copy.
 */
export function NewsEditor(p: NewsEditorProps) {
  const t = useTranslations("news");
  const tm = useTranslations("media");
  const locale = toLocale(useLocale());
  const [start] = useState(() => startFrom(p));
  const form = useForm<NewsFormValues>({
    resolver: lazyZodResolver<NewsFormValues>(loadSchema, locale),
    defaultValues: { articles: start.articles },
    // Validation runs on "Upload to WeChat" (trigger) and on each edited field (setField): with
    // "onChange" every append/move/remove validated the whole list, so a new empty article was red
    // before anyone had tried to upload it.
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  useEffect(() => onFirstInteraction(() => preloadSchema(loadSchema)), []);
  const { fields, append, remove, move } = useFieldArray({ control: form.control, name: "articles", keyName: "fid" });
  const watched = useWatch({ control: form.control, name: "articles" });
  const articles = useMemo(() => (watched ?? []) as ArticleValues[], [watched]);
  const [activeKey, setActiveKey] = useState(start.articles[0]?.key ?? "");
  const [covers, setCovers] = useState<Record<string, MediaItemDTO>>(p.covers);
  // Who saved the version this editor's changes clash with: the person's own other tab or window is
  // told as such, a colleague by name (never "the other side").
  const [other, setOther] = useState<{ side: "self" | "other"; who: string }>(() => ({
    side: p.initial.updatedBySelf ? "self" : "other",
    who: p.initial.updatedByName ?? t("someone"),
  }));
  const [save, setSave] = useState<SaveState>(() =>
    start.localConflict ? { phase: "conflict", message: t("localConflict", { ...other, version: p.initial.version }) } : { phase: "idle" },
  );
  const [saved, setSaved] = useState({ canon: canon(p.initial.articles), version: p.initial.version, at: p.initial.updatedAt });
  const [countError, setCountError] = useState<string | null>(null);
  const [restored, setRestored] = useState<number | null>(start.restoredAt);
  const [uploading, setUploading] = useState(false);
  const [uploadProblem, setUploadProblem] = useState<{ message: string; list: string[] } | null>(null);
  const [lastUpload, setLastUpload] = useState<UploadInfo | null>(p.uploads[0] ?? null);
  const [imageError, setImageError] = useState<string | null>(null);

  // The same facts for callbacks (timers, unload handlers) that must not wait for a render.
  const savedRef = useRef(saved);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const again = useRef(false);
  const conflictRef = useRef(start.localConflict);
  // The server's articles this editor's changes are based on: what a refused save is merged against.
  // Unknown when this browser's copy was based on an older version (then every difference is shown).
  const baseRef = useRef<ArticleValues[]>(start.localConflict ? [] : p.initial.articles);
  const [clashes, setClashes] = useState<{ n: number; clash: MergeClash }[]>([]);
  const editable = p.canEdit && !uploading;

  const tr = useTranslations("rules");
  const articleLabels = useArticleLabels();
  const msg = useCallback((m?: string) => (m ? (m.startsWith("rule.") && t.has(m) ? t(m, LIMIT_VALUES) : m) : undefined), [t]);
  // A refusal's field errors in words, in the server's order, never the path the server answers with,
  // nor only "invalid input". A refused save (`named`) names each by its label ("第 1 篇文章的标题：最多
  // 1000 个字符") and places none. An upload or a preview puts each error on an article's field under
  // that field and lists it as "第 1 篇 · 标题：…"; the other errors are listed as they came (`placed`)
  // or left to the refusal's own message (`placedOnly`).
  const refusalRef = useRef<(fieldErrors: Record<string, string[]> | undefined, how: "named" | "placed" | "placedOnly") => string[]>(() => []);
  useEffect(() => {
    refusalRef.current = (fieldErrors, how) => {
      const list: string[] = [];
      for (const [k, v] of Object.entries(fieldErrors ?? {})) {
        if (how === "named") {
          if (k !== "_form") list.push(tr("formLevel.item", { field: labelFor(articleLabels, k) ?? k, message: v[0] }));
          continue;
        }
        const m = /^articles\.(\d+)\.(\w+)$/.exec(k);
        if (m) {
          form.setError(k as never, { type: "server", message: v[0] });
          list.push(t("problem", { n: Number(m[1]) + 1, field: t.has(`field.${m[2]}`) ? t(`field.${m[2]}`) : m[2], message: msg(v[0])! }));
        } else if (how === "placed") list.push(v[0]);
      }
      return list;
    };
  });

  const markSaved = useCallback((v: { canon: string; version: number; at: string }) => {
    savedRef.current = v;
    setSaved(v);
  }, []);

  // ---- saving
  const saveRef = useRef<(opts?: { overwrite?: boolean }) => Promise<boolean>>(async () => true);
  const saveNow = useCallback(
    async (opts: { overwrite?: boolean } = {}): Promise<boolean> => {
      if (!p.canEdit) return true;
      if (inFlight.current) {
        again.current = true;
        return inFlight.current;
      }
      if (conflictRef.current && !opts.overwrite) return false;
      const current = form.getValues("articles") as ArticleValues[];
      const body = canon(current);
      if (body === savedRef.current.canon && !opts.overwrite) return true;
      setSave({ phase: "saving" });
      const run = (async () => {
        try {
          const r = await saveDraftAction({
            accountId: p.accountId,
            draftId: p.draftId,
            baseVersion: savedRef.current.version,
            articles: current,
            overwrite: opts.overwrite,
          });
          if (!r.ok) {
            setSave({ phase: "error", message: [r.error, ...refusalRef.current(r.fieldErrors, "named")].join(" ") });
            return false;
          }
          if (!r.data.saved) {
            conflictRef.current = true;
            setOther({ side: r.data.conflict.self ? "self" : "other", who: r.data.conflict.byName ?? t("someone") });
            setSave({ phase: "conflict", message: r.data.message });
            return false;
          }
          conflictRef.current = false;
          baseRef.current = current;
          markSaved({ canon: body, version: r.data.version, at: r.data.updatedAt });
          setSave({ phase: "idle" });
          const now = form.getValues("articles") as ArticleValues[];
          if (canon(now) === body) clearLocal(p.draftId);
          else writeLocal(p.draftId, { baseVersion: r.data.version, at: Date.now(), articles: now });
          return true;
        } catch {
          setSave({ phase: "error", message: t("saveOffline") });
          return false;
        }
      })();
      inFlight.current = run;
      const ok = await run;
      inFlight.current = null;
      if (again.current) {
        again.current = false;
        return saveRef.current();
      }
      return ok;
    },
    [form, markSaved, p.accountId, p.canEdit, p.draftId, t],
  );
  useEffect(() => {
    saveRef.current = saveNow;
  }, [saveNow]);

  // A stale copy in this browser (older than the server's) is dropped.
  useEffect(() => {
    if (p.canEdit && start.restoredAt === null) clearLocal(p.draftId);
  }, [p.canEdit, p.draftId, start.restoredAt]);

  // Every change: a local copy at once, a save after a pause.
  const currentCanon = canon(articles);
  const dirty = currentCanon !== saved.canon;
  useEffect(() => {
    if (!p.canEdit || uploading || currentCanon === savedRef.current.canon) return;
    writeLocal(p.draftId, { baseVersion: savedRef.current.version, at: Date.now(), articles: form.getValues("articles") as ArticleValues[] });
    if (conflictRef.current) return;
    const h = setTimeout(() => void saveRef.current(), AUTOSAVE_MS);
    return () => clearTimeout(h);
  }, [currentCanon, p.canEdit, p.draftId, uploading, form]);

  // A failed save is tried again (the local copy holds the work meanwhile).
  useEffect(() => {
    if (save.phase !== "error") return;
    const h = setTimeout(() => void saveRef.current(), RETRY_MS);
    return () => clearTimeout(h);
  }, [save]);

  // Leaving: a keepalive request carries the last changes; moving within the console saves normally.
  useEffect(() => {
    if (!p.canEdit) return;
    const flush = () => {
      const current = form.getValues("articles") as ArticleValues[];
      if (canon(current) === savedRef.current.canon || conflictRef.current) return;
      const body = JSON.stringify({ baseVersion: savedRef.current.version, articles: current });
      // keepalive bodies are limited to 64 KB; larger drafts rely on the local copy.
      if (body.length < 60_000)
        void fetch(`/${p.accountId}/news/${p.draftId}/save`, { method: "POST", keepalive: true, headers: { "content-type": "application/json" }, body }).catch(
          () => {},
        );
    };
    const onHidden = () => {
      if (document.visibilityState === "hidden") void saveRef.current();
    };
    const onShow = (e: PageTransitionEvent) => {
      // Back from the back/forward cache: the keepalive save may have moved the version on.
      if (e.persisted) window.location.reload();
    };
    const save = saveRef;
    window.addEventListener("pagehide", flush);
    window.addEventListener("pageshow", onShow);
    document.addEventListener("visibilitychange", onHidden);
    return () => {
      window.removeEventListener("pagehide", flush);
      window.removeEventListener("pageshow", onShow);
      document.removeEventListener("visibilitychange", onHidden);
      void save.current();
    };
  }, [form, p.accountId, p.canEdit, p.draftId]);

  const loadTheirs = async () => {
    const r = await loadDraftAction({ accountId: p.accountId, draftId: p.draftId });
    if (!r.ok) return toast.error(r.error);
    conflictRef.current = false;
    baseRef.current = r.data.articles;
    markSaved({ canon: canon(r.data.articles), version: r.data.version, at: r.data.updatedAt });
    form.reset({ articles: r.data.articles });
    setActiveKey(r.data.articles[0]?.key ?? "");
    clearLocal(p.draftId);
    setRestored(null);
    setClashes([]);
    setSave({ phase: "idle" });
  };
  /**
   * Another tab or person saved first: their version and these changes, merged article by article
   * and field by field, then saved on top of theirs. Where both changed the same field, this side's
   * text stays in the editor and theirs is listed under it, so neither is lost.
   */
  const mergeBoth = async () => {
    const r = await loadDraftAction({ accountId: p.accountId, draftId: p.draftId });
    if (!r.ok) return toast.error(r.error);
    const mine = form.getValues("articles") as ArticleValues[];
    const merged = mergeArticles(baseRef.current, mine, r.data.articles);
    conflictRef.current = false;
    baseRef.current = r.data.articles;
    markSaved({ canon: canon(r.data.articles), version: r.data.version, at: r.data.updatedAt });
    form.reset({ articles: merged.articles });
    if (!merged.articles.some((a) => a.key === activeKey)) setActiveKey(merged.articles[0]?.key ?? "");
    setRestored(null);
    setClashes(merged.clashes.map((clash) => ({ n: merged.articles.findIndex((a) => a.key === clash.key) + 1, clash })));
    setSave({ phase: "idle" });
    await saveNow();
  };
  const keepMine = async () => {
    conflictRef.current = false;
    setRestored(null);
    await saveNow({ overwrite: true });
  };

  // ---- articles
  /**
   * Writes one field of the article with this key, wherever it is in the list now. Inputs are bound
   * by key, never by position: registered by index, they kept showing (and writing) whatever article
   * had been at that index before a reorder, and overwrote another article's title.
   */
  const setField = useCallback(
    <F extends Exclude<keyof ArticleValues, "key">>(key: string, field: F, value: ArticleValues[F]) => {
      const at = (form.getValues("articles") as ArticleValues[]).findIndex((a) => a.key === key);
      if (at < 0) return;
      form.setValue(`articles.${at}.${field}` as `articles.${number}.title`, value as never, { shouldDirty: true, shouldValidate: true });
    },
    [form],
  );
  const activeIndex = Math.max(
    0,
    articles.findIndex((a) => a.key === activeKey),
  );
  const active = articles[activeIndex];
  const addArticle = () => {
    if (fields.length >= ARTICLES_MAX) {
      setCountError(t("rule.articlesMax", LIMIT_VALUES));
      return;
    }
    setCountError(null);
    const a = emptyArticle();
    append(a);
    setActiveKey(a.key);
  };
  const removeArticle = (i: number) => {
    if (fields.length <= 1) return;
    setCountError(null);
    const next = articles[i === 0 ? 1 : i - 1]?.key;
    remove(i);
    if (articles[i]?.key === activeKey && next) setActiveKey(next);
  };

  const errors = form.formState.errors as FieldErrors<NewsFormValues>;
  const errorOf = (i: number, f: (typeof FIELD_ORDER)[number] | "coverId") => msg(errors.articles?.[i]?.[f]?.message as string | undefined);
  const hasErrors = (i: number) => FIELD_ORDER.some((f) => !!errors.articles?.[i]?.[f]);

  const uploadImage = useCallback(
    async (file: File): Promise<string | null> => {
      setImageError(null);
      const c = await precheck("inarticle", file);
      if (!c.ok) {
        setImageError(
          c.code === "tooLarge"
            ? tm("rule.tooLarge", { kind: tm("kind.inarticle"), max: formatLimit(c.max!), size: formatBytes(file.size) })
            : tm("rule.wrongType", { kind: tm("kind.inarticle"), allowed: allowedLabel("inarticle"), found: c.type ? TYPE_LABEL[c.type] : "unknown" }),
        );
        return null;
      }
      const r = await uploadFile(p.accountId, file, file.name || "pasted.png", { kind: "inarticle", storage: "permanent" }, () => {}, tm("error.network"))
        .promise;
      if (!r.ok) {
        setImageError(r.error);
        return null;
      }
      return r.item.url;
    },
    [p.accountId, tm],
  );

  // ---- upload to WeChat
  const problemList = (): string[] => {
    const out: string[] = [];
    const errs = form.formState.errors as FieldErrors<NewsFormValues>;
    const arrMsg =
      (errs.articles as { message?: string; root?: { message?: string } } | undefined)?.root?.message ??
      (errs.articles as { message?: string } | undefined)?.message;
    if (arrMsg) out.push(msg(arrMsg)!);
    (form.getValues("articles") as ArticleValues[]).forEach((_, i) => {
      for (const f of FIELD_ORDER) {
        const m = errs.articles?.[i]?.[f]?.message as string | undefined;
        if (m) out.push(t("problem", { n: i + 1, field: t(`field.${f}`), message: msg(m)! }));
      }
    });
    return out;
  };

  const hasErrorsNow = (i: number) => FIELD_ORDER.some((f) => !!(form.formState.errors as FieldErrors<NewsFormValues>).articles?.[i]?.[f]);

  const uploadToWeChat = async () => {
    setUploadProblem(null);
    const valid = await form.trigger();
    if (!valid) {
      const list = problemList();
      const firstBad = (form.getValues("articles") as ArticleValues[]).findIndex((_, i) => hasErrorsNow(i));
      if (firstBad >= 0) setActiveKey((form.getValues("articles") as ArticleValues[])[firstBad].key);
      setUploadProblem({ message: t("fixBeforeUpload"), list });
      return;
    }
    if (!(await saveNow())) {
      setUploadProblem({ message: t("saveBeforeUpload"), list: [] });
      return;
    }
    setUploading(true);
    try {
      const r = await uploadNewsAction({ accountId: p.accountId, draftId: p.draftId });
      if (!r.ok) {
        setUploadProblem({ message: r.error, list: refusalRef.current(r.fieldErrors, "placed") });
        return;
      }
      markSaved({ canon: canon(r.data.articles), version: r.data.draftVersion, at: r.data.draftUpdatedAt });
      form.reset({ articles: r.data.articles });
      clearLocal(p.draftId);
      setSave({ phase: "idle" });
      setLastUpload({
        id: r.data.mediaId,
        version: r.data.version,
        mediaId: r.data.mediaId,
        titles: r.data.titles,
        uploadedAt: r.data.uploadedAt,
        expiresAt: new Date(Date.parse(r.data.uploadedAt) + 3 * 86_400_000).toISOString(),
        uploadedByName: null,
      });
      toast.success(t("uploaded"));
    } catch {
      setUploadProblem({ message: t("uploadNetwork"), list: [] });
    } finally {
      setUploading(false);
    }
  };

  // ---- preview on my WeChat: the version as saved now (uploaded to WeChat on the way if needed)
  const previewNews = async () => {
    setUploadProblem(null);
    if (!(await saveNow())) {
      setUploadProblem({ message: t("saveBeforeUpload"), list: [] });
      return null;
    }
    return previewAction({
      accountId: p.accountId,
      campaignId: null,
      message: { type: "mpnews", newsDraftId: p.draftId, newsVersion: savedRef.current.version },
    });
  };
  const previewRefused = (_error: string, fieldErrors: Record<string, string[]>) => {
    const list = refusalRef.current(fieldErrors, "placedOnly");
    if (list.length) setUploadProblem({ message: t("fixBeforeUpload"), list });
  };

  // ---- derived
  const coverUrl = (id: string) => covers[id]?.fileUrl ?? mediaFileUrl(p.accountId, id);
  const preview = useMemo(
    () =>
      toPreviewArticles(
        articles.map((a) => ({ ...a, coverId: a.coverId ?? null })),
        (id) => covers[id]?.fileUrl ?? mediaFileUrl(p.accountId, id),
      ),
    [articles, covers, p.accountId],
  );
  const fmt = (iso: string) => formatDateTimeZoned(iso, p.timeZone ?? DEFAULT_TIME_ZONE, locale);
  const content = active?.content ?? "";
  const chars = content.length;
  const bytes = utf8Bytes(content);
  const links = strippedLinks(content);
  const foreignImages = imageSources(content).filter((s) => !isWeChatImageUrl(s)).length;
  const i = activeIndex;
  const lastUploadCurrent = lastUpload && lastUpload.version === saved.version && !dirty;

  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[15rem_minmax(0,1fr)_340px]">
      {/* articles */}
      <div className="space-y-3">
        <h2 className="text-sm font-semibold text-slate-900">{t("articlesCount", { n: fields.length, max: ARTICLES_MAX })}</h2>
        <ArticleList
          articles={articles.map((a, k) => ({
            key: a.key,
            title: a.title,
            coverUrl: a.coverId ? (covers[a.coverId]?.previewUrl ?? coverUrl(a.coverId)) : null,
            invalid: hasErrors(k),
          }))}
          activeKey={active?.key ?? ""}
          disabled={!editable}
          onSelect={setActiveKey}
          onMove={(from, to) => to >= 0 && to < fields.length && move(from, to)}
          onRemove={removeArticle}
        />
        {p.canEdit && (
          <Button type="button" variant="secondary" className="w-full" onClick={addArticle} disabled={!editable}>
            <Plus aria-hidden className="h-4 w-4" />
            {t("addArticle")}
          </Button>
        )}
        <div aria-live="polite">
          {countError && (
            <p role="alert" className="text-sm font-medium text-red-700">
              {countError}
            </p>
          )}
        </div>
      </div>

      {/* the active article */}
      <div className="min-w-0 space-y-4">
        <div className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm">
          <span
            aria-live="polite"
            data-testid="save-status"
            className={cn(save.phase === "error" || save.phase === "conflict" ? "text-red-800" : "text-slate-700")}
          >
            {save.phase === "saving"
              ? t("status.saving")
              : save.phase === "error"
                ? t("status.error", { message: save.message })
                : save.phase === "conflict"
                  ? t("status.conflict")
                  : dirty
                    ? t("status.dirty")
                    : t("status.saved", { at: fmt(saved.at), version: saved.version })}
          </span>
          {p.canEdit && (
            <Button type="button" className="ml-auto" onClick={uploadToWeChat} disabled={uploading || save.phase === "conflict"}>
              <UploadCloud aria-hidden className="h-4 w-4" />
              {uploading ? t("uploading") : t("uploadToWeChat")}
            </Button>
          )}
          {p.canEdit && p.canPreview && (
            <div className="w-full border-t border-slate-100 pt-2">
              <PreviewButton gate={p.previewGate} run={previewNews} onRefused={previewRefused} />
            </div>
          )}
        </div>

        {restored && save.phase !== "conflict" && (
          <Alert tone="info">
            {t("restored", { at: fmt(new Date(restored).toISOString()) })}{" "}
            <Button type="button" variant="link" size="sm" onClick={loadTheirs}>
              {t("discardLocal")}
            </Button>
          </Alert>
        )}
        {save.phase === "conflict" && (
          <Alert tone="error" data-testid="conflict">
            <p className="font-medium">{save.message}</p>
            <p className="mt-1">{t("conflictHelp", other)}</p>
            <div className="mt-2 flex flex-wrap gap-2">
              <Button type="button" size="sm" onClick={mergeBoth}>
                {t("mergeBoth")}
              </Button>
              <Button type="button" size="sm" variant="secondary" onClick={loadTheirs}>
                {t("loadTheirs", other)}
              </Button>
              <Button type="button" size="sm" variant="destructive" onClick={keepMine}>
                {t("keepMine", other)}
              </Button>
            </div>
          </Alert>
        )}
        {clashes.length > 0 && (
          <Alert tone="warning" data-testid="merge-clashes">
            <p className="font-medium">{t("clashTitle", other)}</p>
            <ul className="mt-1 list-disc pl-5">
              {clashes.map(({ n, clash }, k) => (
                <li key={k} className="break-words">
                  {clash.field === "removed"
                    ? t("clashRemoved", { ...other, n })
                    : t("clashItem", { ...other, field: t("articleField", { n, field: t(`fieldPlain.${clash.field}`) }), value: clashValue(clash.theirs) })}
                </li>
              ))}
            </ul>
            <Button type="button" size="sm" variant="secondary" className="mt-2" onClick={() => setClashes([])}>
              {t("clashDismiss")}
            </Button>
          </Alert>
        )}
        {uploadProblem && (
          <Alert tone="error" data-testid="upload-problem">
            <p className="font-medium">{uploadProblem.message}</p>
            {uploadProblem.list.length > 0 && (
              <ul className="mt-1 list-disc pl-5">
                {uploadProblem.list.map((l, k) => (
                  <li key={k}>{l}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}

        {active && (
          <Card>
            <CardTitle>{t("editing", { n: i + 1 })}</CardTitle>
            <fieldset disabled={!editable} className="space-y-4" key={active.key}>
              <legend className="sr-only">{t("editing", { n: i + 1 })}</legend>
              <Field id="article-title" label={t("field.title")} hint={<LimitCount n={active.title.length} max={TITLE_MAX} />} error={errorOf(i, "title")}>
                <Input value={active.title} onChange={(e) => setField(active.key, "title", e.target.value)} />
              </Field>
              <div className="grid gap-4 md:grid-cols-2">
                <Field
                  id="article-author"
                  label={t("field.author")}
                  hint={<LimitCount n={active.author.length} max={AUTHOR_MAX} />}
                  error={errorOf(i, "author")}
                >
                  <Input value={active.author} onChange={(e) => setField(active.key, "author", e.target.value)} />
                </Field>
                <Field id="article-source" label={t("field.contentSourceUrl")} hint={t("sourceHint")} error={errorOf(i, "contentSourceUrl")}>
                  <Input
                    type="url"
                    placeholder="https://"
                    value={active.contentSourceUrl}
                    onChange={(e) => setField(active.key, "contentSourceUrl", e.target.value)}
                  />
                </Field>
              </div>
              <Field
                id="article-digest"
                label={t("field.digest")}
                hint={<LimitCount n={active.digest.length} max={DIGEST_MAX} extra={t("digestHint")} />}
                error={errorOf(i, "digest")}
              >
                <Textarea className="min-h-16" value={active.digest} onChange={(e) => setField(active.key, "digest", e.target.value)} />
              </Field>
              <CoverPicker
                accountId={p.accountId}
                id="article-cover"
                cover={active.coverId ? (covers[active.coverId] ?? null) : null}
                disabled={!editable}
                error={errorOf(i, "coverId")}
                onChange={(item) => {
                  setCovers((m) => ({ ...m, [item.id]: item }));
                  setField(active.key, "coverId", item.id);
                }}
              />
              <CheckboxField
                id="article-show-cover"
                label={t("field.showCoverPic")}
                hint={t("showCoverHint")}
                checked={active.showCoverPic}
                onChange={(e) => setField(active.key, "showCoverPic", e.target.checked)}
              />

              <div className="space-y-1">
                <span className="text-sm font-medium text-slate-900" id="article-content-label">
                  {t("field.content")}
                </span>
                <RichEditor
                  id="article-content"
                  label={t("field.content")}
                  describedBy="article-content-limits"
                  invalid={!!errorOf(i, "content")}
                  value={content}
                  disabled={!editable}
                  onChange={(html) => setField(active.key, "content", html)}
                  uploadImage={uploadImage}
                />
                <p id="article-content-limits" className="text-xs text-slate-700" data-testid="content-limits">
                  <span className={cn(chars >= CONTENT_CHARS_LIMIT && "font-medium text-red-700")}>
                    {t("chars", { n: chars.toLocaleString(), max: (CONTENT_CHARS_LIMIT - 1).toLocaleString() })}
                  </span>
                  {" · "}
                  <span className={cn(bytes >= CONTENT_BYTES_LIMIT && "font-medium text-red-700")}>
                    {t("bytes", { size: formatBytes(bytes), max: "1 MB" })}
                  </span>
                </p>
                {errorOf(i, "content") && (
                  <p role="alert" className="text-xs font-medium text-red-700">
                    {errorOf(i, "content")}
                  </p>
                )}
                {imageError && (
                  <p role="alert" className="text-xs font-medium text-red-700">
                    {imageError}
                  </p>
                )}
                {foreignImages > 0 && <p className="text-xs text-slate-700">{t("foreignImages", { n: foreignImages })}</p>}
                {links.length > 0 && (
                  <Alert tone="warning" data-testid="stripped-links">
                    <p className="font-medium">{t("linksStripped")}</p>
                    <ul className="mt-1 list-disc pl-5">
                      {links.map((l, k) => (
                        <li key={k} className="break-all">
                          {l.text ? `${l.text} — ` : ""}
                          {l.href || t("noHref")}
                        </li>
                      ))}
                    </ul>
                  </Alert>
                )}
              </div>

              <div className="space-y-2">
                <CheckboxField
                  id="article-comment"
                  label={t("field.needOpenComment")}
                  checked={active.needOpenComment}
                  onChange={(e) => setField(active.key, "needOpenComment", e.target.checked)}
                />
                <CheckboxField
                  id="article-fans"
                  label={t("field.onlyFansCanComment")}
                  disabled={!active.needOpenComment || !editable}
                  checked={active.onlyFansCanComment}
                  onChange={(e) => setField(active.key, "onlyFansCanComment", e.target.checked)}
                />
              </div>
            </fieldset>
          </Card>
        )}
      </div>

      {/* preview and uploads */}
      <div className="space-y-4 xl:sticky xl:top-4 xl:self-start">
        <PhonePreview accountName={p.accountName} articles={preview} />
        <Card>
          <CardTitle>{t("lastUpload")}</CardTitle>
          {lastUpload ? (
            <div className="space-y-1 text-sm" data-testid="news-last-upload">
              <p className="text-xs text-slate-700" data-testid="news-upload-line">
                {t("uploadedVersion", { version: lastUpload.version, at: fmt(lastUpload.uploadedAt) })}
              </p>
              <p className="text-xs text-slate-700">{t("uploadExpires", { at: fmt(lastUpload.expiresAt) })}</p>
              {lastUploadCurrent ? <Badge tone="green">{t("upToDate")}</Badge> : <Badge tone="amber">{t("changedSince")}</Badge>}
              <TechnicalDetails label={tm("plain.technical")} rows={[["media_id", lastUpload.mediaId]]} />
            </div>
          ) : (
            <p className="text-sm text-slate-700">{t("neverUploaded")}</p>
          )}
        </Card>
      </div>
    </div>
  );
}

/** The other side's value of a field both changed, as a reader can copy it (a body as its text). */
function clashValue(v: MergeClash["theirs"]): string {
  if (typeof v === "boolean") return v ? "✓" : "✗";
  if (v === null || v === "") return "—";
  if (typeof v === "string" && v.startsWith("<")) return new DOMParser().parseFromString(v, "text/html").body.textContent ?? "";
  return String(v);
}

function LimitCount({ n, max, extra }: { n: number; max: number; extra?: string }) {
  return (
    <span>
      <span className={cn(n > max && "font-medium text-red-700")} data-testid="limit-count">{`${n}/${max}`}</span>
      {extra ? ` · ${extra}` : ""}
    </span>
  );
}
