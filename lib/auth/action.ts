import "server-only";
import { z } from "zod";
import { getTranslations } from "next-intl/server";
import { AuthError, requireUser, type CurrentUser } from "./guard";
import type { Permission } from "./permissions";

import type { ActionResult, FieldErrors } from "./action-types";
import { zodErrorMap } from "@/lib/i18n/zod-errors";
import { toLocale } from "@/lib/i18n/locales";
import { getLocale } from "next-intl/server";
import { describeError, WeChatApiError, WeChatTransportError } from "@/lib/wechat";
export type { ActionResult, FieldErrors };

/** A failure the user should read: thrown inside an action, returned as `{ ok: false }`. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
  }
}

/** Field → messages, with rule keys (custom refinements) translated from the `rules` catalog. */
export async function zodFieldErrors(error: z.ZodError): Promise<FieldErrors> {
  const tr = await getTranslations("rules");
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    (out[key] ??= []).push(tr.has(issue.message) ? tr(issue.message) : issue.message);
  }
  return out;
}

/**
 * Parse with messages in the person's language. Any zod schema: classic, or zod/mini for the
 * schemas the browser validates with too (both are zod core schemas).
 */
export async function parseInput<S extends z.core.$ZodType>(schema: S, raw: unknown) {
  const locale = toLocale(await getLocale());
  return z.safeParse(schema, raw, { error: zodErrorMap(locale) });
}

/**
 * Every server action goes through here: who is asking, may they, is the input valid (the same zod
 * schema the browser used), then one call into lib/. Errors come back typed so the form keeps what
 * was typed and shows each field's message. What WeChat answered (an errcode, a timeout) is put in
 * the person's words here, once, for every action.
 */
export function authedAction<S extends z.core.$ZodType, T>(
  permission: Permission,
  schema: S,
  fn: (input: z.output<S>, user: CurrentUser) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw) => {
    const t = await getTranslations("errors");
    let user: CurrentUser;
    try {
      user = await requireUser(permission);
    } catch (e) {
      if (e instanceof AuthError) return { ok: false, error: e.status === 401 ? t("unauthenticated") : t("forbidden") };
      throw e;
    }
    const parsed = await parseInput(schema, raw);
    if (!parsed.success) return { ok: false, error: t("invalidInput"), fieldErrors: await zodFieldErrors(parsed.error) };
    try {
      return { ok: true, data: await fn(parsed.data, user) };
    } catch (e) {
      if (e instanceof UserFacingError) return { ok: false, error: e.message, fieldErrors: e.fieldErrors };
      if (e instanceof WeChatApiError || e instanceof WeChatTransportError) return { ok: false, error: describeError(e, toLocale(await getLocale())) };
      console.error("[qunfa] action failed", e);
      return { ok: false, error: t("unexpected") };
    }
  };
}
