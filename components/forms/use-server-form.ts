"use client";
import { useRef, useState } from "react";
import { useForm, type DefaultValues, type FieldErrors, type FieldValues, type Path, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useLocale, useTranslations } from "next-intl";
import type { z, ZodType } from "zod";
import { zodErrorMap } from "@/lib/i18n/zod-errors";
import { toLocale } from "@/lib/i18n/locales";
import type { ActionResult } from "@/lib/auth/action-types";
import { useHydrated } from "./use-hydrated";

/**
 * react-hook-form bound to a server action with the same zod schema on both sides. A refused
 * submission keeps every value and puts the server's message under each field it names.
 *
 * `ready` is false until the form has hydrated. react-hook-form writes its default values into the
 * inputs when it registers them, so a box ticked or cleared in the server-rendered page before
 * that was silently put back (the account form saved "approval required" after it had been
 * cleared). Forms disable their fields until `ready` (a `<fieldset disabled>`); see useHydrated.
 */
export function useServerForm<S extends ZodType<FieldValues, FieldValues>, T>(
  schema: S,
  action: (input: z.input<S>) => Promise<ActionResult<T>>,
  defaultValues: DefaultValues<z.input<S>>,
) {
  const locale = toLocale(useLocale());
  const tr = useTranslations("rules");
  const [formError, setFormError] = useState<string | null>(null);
  const ready = useHydrated();
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never, { error: zodErrorMap(locale) } as never) as unknown as Resolver<z.input<S>, unknown, z.output<S>>,
    defaultValues,
    mode: "onTouched",
  });
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
  const submit = (onOk: (data: T) => void) =>
    form.handleSubmit(async (values) => {
      setFormError(null);
      const res = await action(values as z.input<S>);
      if (res.ok) return onOk(res.data);
      setFormError(res.error);
      for (const [field, messages] of Object.entries(res.fieldErrors ?? {})) {
        if (field === "_form") continue;
        form.setError(field as Path<z.input<S>>, { type: "server", message: messages[0] });
      }
    }, onInvalid);
  const onInvalid = (errors: FieldErrors<z.input<S>>) => {
    const list = leafErrors(errors)
      .filter((e) => !placed.current.has(e.path))
      .map((e) => `${e.path}: ${tr.has(e.message) ? tr(e.message) : e.message}`);
    setFormError(list.length ? tr("formLevel.unplaced", { list: list.join("; ") }) : null);
  };
  return { form, submit, formError, fieldError, setFormError, ready };
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
