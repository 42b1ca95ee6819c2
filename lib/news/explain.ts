import "server-only";
import { getLocale, getTranslations } from "next-intl/server";
import { zodIssueText } from "@/lib/i18n/zod-errors";
import { explainMediaError } from "@/lib/media/explain";
import { ImageFetchError } from "./fetch-image";
import { NewsConflictError, NewsNotFoundError, NewsValidationError, type NewsIssue } from "./news-service";
import { LIMIT_VALUES } from "./limits";
import { DEFAULT_TIME_ZONE, formatDateTimeZoned } from "@/lib/i18n/time";
import { toLocale } from "@/lib/i18n/locales";

/**
 * An issue in the person's language: a `rule.*` key from the news catalog, else zod's issue written
 * by the same error map the editor uses (「最多 64 个字符」), never zod's English default text.
 */
export async function newsIssueText(issue: NewsIssue | string): Promise<string> {
  const t = await getTranslations("news");
  const i = typeof issue === "string" ? { path: [], message: issue } : issue;
  if (i.message.startsWith("rule.") && t.has(i.message)) return t(i.message, LIMIT_VALUES);
  if (i.zod) {
    const msg = zodIssueText(i.zod, toLocale(await getLocale()));
    if (msg) return msg;
  }
  return i.message;
}

async function newsFieldErrors(issues: NewsIssue[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[i.path.join(".") || "_form"] ??= []).push(await newsIssueText(i));
  return out;
}

export interface ExplainedNewsError {
  message: string;
  fieldErrors?: Record<string, string[]>;
  /** `self`: the save that came first was the same person's (another window or tab), not a colleague's. */
  conflict?: { version: number; updatedAt: string; byName: string | null; byEmail: string | null; self: boolean };
}

/** `viewerId`: who is reading, so a conflict with their own other tab is not told as "someone else". */
export async function explainNewsError(
  e: unknown,
  locale: string,
  timeZone: string = DEFAULT_TIME_ZONE,
  viewerId: string | null = null,
): Promise<ExplainedNewsError | null> {
  const t = await getTranslations("news");
  if (e instanceof NewsConflictError) {
    const by = e.current.updatedBy;
    const self = !!by && by.id === viewerId;
    const at = formatDateTimeZoned(e.current.updatedAt, timeZone, toLocale(locale));
    return {
      message: t("conflict", { side: self ? "self" : "other", who: by ? `${by.name} <${by.email}>` : t("someone"), at, version: e.current.version }),
      conflict: { version: e.current.version, updatedAt: e.current.updatedAt.toISOString(), byName: by?.name ?? null, byEmail: by?.email ?? null, self },
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
