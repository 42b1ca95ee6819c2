import "server-only";
import { getTranslations } from "next-intl/server";
import { explainMediaError } from "@/lib/media/explain";
import { ImageFetchError } from "./fetch-image";
import { NewsConflictError, NewsNotFoundError, NewsValidationError, type NewsIssue } from "./news-service";
import { LIMIT_VALUES } from "./limits";
import { DEFAULT_TIME_ZONE, formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";

/** A `rule.*` key from the news catalog, or a message zod already phrased in the person's language. */
export async function newsIssueText(message: string): Promise<string> {
  const t = await getTranslations("news");
  return message.startsWith("rule.") && t.has(message) ? t(message, LIMIT_VALUES) : message;
}

export async function newsFieldErrors(issues: NewsIssue[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[i.path.join(".") || "_form"] ??= []).push(await newsIssueText(i.message));
  return out;
}

export interface ExplainedNewsError {
  message: string;
  fieldErrors?: Record<string, string[]>;
  conflict?: { version: number; updatedAt: string; byName: string | null; byEmail: string | null };
}

export async function explainNewsError(e: unknown, locale: string): Promise<ExplainedNewsError | null> {
  const t = await getTranslations("news");
  if (e instanceof NewsConflictError) {
    const by = e.current.updatedBy;
    const at = formatDateTimeZoned(e.current.updatedAt, DEFAULT_TIME_ZONE, toLocale(locale));
    return {
      message: t("conflict", { who: by ? `${by.name} <${by.email}>` : t("someone"), at, version: e.current.version }),
      conflict: { version: e.current.version, updatedAt: e.current.updatedAt.toISOString(), byName: by?.name ?? null, byEmail: by?.email ?? null },
    };
  }
  if (e instanceof NewsNotFoundError) return { message: t("notFound") };
  if (e instanceof NewsValidationError) {
    const fieldErrors = await newsFieldErrors(e.issues);
    return { message: t("invalidForWeChat"), fieldErrors };
  }
  if (e instanceof ImageFetchError) return { message: t(`imageFetch.${e.reason}`, { src: e.src.startsWith("data:") ? "data:…" : e.src.slice(0, 200) }) };
  const m = await explainMediaError(e);
  return m ? { message: m } : null;
}
