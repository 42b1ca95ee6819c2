"use client";
import { useEffect, useRef, useState } from "react";
import { useForm, type DefaultValues, type FieldErrors, type FieldValues, type Path } from "react-hook-form";
import { useLocale, useTranslations } from "next-intl";
import type { z } from "zod";
import { toLocale } from "@/lib/i18n/locales";
import type { ActionResult } from "@/lib/auth/action-types";
import { useHydrated } from "./use-hydrated";
import { lazyZodResolver, preloadSchema, type SchemaLoader } from "./lazy-resolver";
import { onFirstInteraction } from "@/components/ui/first-interaction";

/**
 * react-hook-form bound to a server action with the same zod schema on both sides. A refused
 * submission keeps every value and puts the server's message under each field it names. The
 * schema comes through a loader (a dynamic import, see lazy-resolver.ts): zod is fetched at the
 * first key or pointer press, not with the page.
 *
 * `ready` is false until the form has hydrated. react-hook-form writes its default values into the
 * inputs when it registers them, so a box ticked or cleared in the server-rendered page before
 * that was silently put back (the account form saved "approval required" after it had been
 * cleared). Forms disable their fields until `ready` (a `<fieldset disabled>`); see useHydrated.
 */
/**
 * The form's fields in the reader's words, by error path: `"name"`, `"audience.tagId"`, and with `#`
 * for a position in a list, `"articles.#.title"` (the function gets the positions, 0-based).
 * The form-level message names fields through it, never by their path (`articles.0.title`).
 */
export type FieldLabels = Record<string, string | ((positions: number[]) => string)>;

/** The label of an error path, or null when the form has none for it. */
export function labelFor(labels: FieldLabels, path: string): string | null {
  const positions: number[] = [];
  const pattern = path
    .split(".")
    .map((seg) => {
      if (/^\d+$/.test(seg)) {
        positions.push(Number(seg));
        return "#";
      }
      return seg;
    })
    .join(".");
  const l = labels[path] ?? labels[pattern];
  if (l === undefined) return null;
  return typeof l === "function" ? l(positions) : l;
}

export function useServerForm<S extends z.core.$ZodType<FieldValues, FieldValues>, T>(
  loadSchema: SchemaLoader<S>,
  action: (input: z.input<S>) => Promise<ActionResult<T>>,
  defaultValues: DefaultValues<z.input<S>>,
  labels: FieldLabels = {},
) {
  const locale = toLocale(useLocale());
  const tr = useTranslations("rules");
  const [formError, setFormError] = useState<string | null>(null);
  const ready = useHydrated();
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: lazyZodResolver<z.input<S>, z.output<S>>(loadSchema, locale),
    defaultValues,
    mode: "onTouched",
  });
  useEffect(() => onFirstInteraction(() => preloadSchema(loadSchema)), [loadSchema]);
  // The error paths the page has a place for (each field asks fieldError for its own). A refused
  // submit with an error on any other path says so in the form-level message instead, so no submit
  // fails silently (the reprint choice once had no place and the save button did nothing).
  const placed = useRef(new Set<string>());
  const fieldError = (name: string): string | undefined => {
    placed.current.add(name);
    const parts = name.split(".");
    let e: unknown = form.formState.errors;
    for (const p of parts) e = (e as Record<string, unknown> | undefined)?.[p];
    const msg = (e as { message?: string } | undefined)?.message;
    if (!msg) return undefined;
    return tr.has(msg) ? tr(msg) : msg;
  };
  // One error the page has no place for, in words: "第 1 篇文章的标题：最多 64 个字符". A path the
  // form has no label for is still named (by its last word), so nothing is dropped.
  const describe = (path: string, message: string) => {
    const text = tr.has(message) ? tr(message) : message;
    const label =
      labelFor(labels, path) ??
      path
        .split(".")
        .filter((x) => !/^\d+$/.test(x))
        .pop() ??
      "";
    return label ? tr("formLevel.item", { field: label, message: text }) : text;
  };
  /** Errors (server or client) the page cannot put under a field, as one list in words; null when all are placed. */
  const unplacedText = (errors: { path: string; message: string }[]): string | null => {
    const list = errors.filter((e) => e.path !== "_form" && !placed.current.has(e.path)).map((e) => describe(e.path, e.message));
    return list.length ? list.join(tr("formLevel.separator")) : null;
  };
  /**
   * A refusal from the server: the fields it names are put in their places; returns its message
   * with the rest listed in words (for wherever the page shows the answer).
   */
  const placeRefusal = (error: string, fieldErrors: Record<string, string[]> = {}): string => {
    const errors = Object.entries(fieldErrors).map(([path, messages]) => ({ path, message: messages[0] }));
    for (const e of errors) {
      if (e.path === "_form" || !placed.current.has(e.path)) continue;
      form.setError(e.path as Path<z.input<S>>, { type: "server", message: e.message });
    }
    const rest = unplacedText(errors);
    return rest ? `${error} ${tr("formLevel.unplaced", { list: rest })}` : error;
  };
  const showRefusal = (error: string, fieldErrors: Record<string, string[]> = {}) => setFormError(placeRefusal(error, fieldErrors));
  const submit = (onOk: (data: T) => void) =>
    form.handleSubmit(async (values) => {
      setFormError(null);
      const res = await action(values as z.input<S>);
      if (res.ok) return onOk(res.data);
      showRefusal(res.error, res.fieldErrors);
    }, onInvalid);
  const onInvalid = (errors: FieldErrors<z.input<S>>) => {
    const rest = unplacedText(leafErrors(errors));
    setFormError(rest ? tr("formLevel.unplaced", { list: rest }) : null);
  };
  return { form, submit, formError, fieldError, setFormError, showRefusal, placeRefusal, ready };
}

/** Every error in react-hook-form's nested errors object, with its dotted path ("message.title"). */
export function leafErrors(errors: unknown, prefix = ""): { path: string; message: string }[] {
  if (!errors || typeof errors !== "object") return [];
  const e = errors as Record<string, unknown>;
  if (typeof e.message === "string" && typeof e.type === "string") return [{ path: prefix, message: e.message }];
  const out: { path: string; message: string }[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (k === "ref" || k === "types") continue;
    // An array's own error (its length) is at "root"; it belongs to the array's path.
    out.push(...leafErrors(v, k === "root" ? prefix : prefix ? `${prefix}.${k}` : k));
  }
  return out;
}
