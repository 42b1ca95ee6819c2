import type { z } from "zod";
// The two locales by their own modules: `z.locales` is a namespace of every locale zod ships (~40),
// and reaching through it put all of them into every form page's script (~350 KB unpacked).
import en from "zod/v4/locales/en.js";
import zhCN from "zod/v4/locales/zh-CN.js";
import type { Locale } from "./locales";

type Issue = Parameters<z.core.$ZodErrorMap>[0];

/**
 * Field messages that name the limit, in the person's language. Schemas shared by the browser and
 * the server carry no message text of their own (except rules zod cannot phrase), so the same
 * schema reads well in both languages.
 */
export function zodErrorMap(locale: Locale): z.core.$ZodErrorMap {
  const fallback = locale === "en" ? en().localeError : zhCN().localeError;
  const zh = locale !== "en";
  return (issue: Issue) => {
    switch (issue.code) {
      case "too_small": {
        const min = Number(issue.minimum);
        if (issue.origin === "string") {
          if (min <= 1) return zh ? "必填" : "Required";
          // What is wrong with what was typed, not the rule again: a field's hint already states the
          // rule ("至少 10 个字符"), and a screen reader reads the hint and the error together.
          const typed = typeof issue.input === "string" ? issue.input.length : 0;
          if (typed > 0)
            return zh
              ? `只输入了 ${typed} 个字符，还差 ${min - typed} 个`
              : `Only ${typed} ${typed === 1 ? "character" : "characters"} typed; ${min - typed} more needed`;
          if (issue.input === "") return zh ? "必填" : "Required";
          return zh ? `至少 ${min} 个字符` : `At least ${min} characters`;
        }
        if (issue.origin === "array") return zh ? `至少 ${min} 项` : `At least ${min} items`;
        if (issue.origin === "number") return zh ? `不能小于 ${min}` : `Must be at least ${min}`;
        break;
      }
      case "too_big": {
        const max = Number(issue.maximum);
        if (issue.origin === "string") return zh ? `最多 ${max} 个字符` : `At most ${max} characters`;
        if (issue.origin === "array") return zh ? `最多 ${max} 项` : `At most ${max} items`;
        if (issue.origin === "number") return zh ? `不能大于 ${max}` : `Must be at most ${max}`;
        break;
      }
      case "invalid_format": {
        if (issue.format === "email") return zh ? "请输入有效的邮箱地址" : "Enter a valid email address";
        if (issue.format === "url") return zh ? "请输入有效的网址（http:// 或 https://）" : "Enter a valid URL (http:// or https://)";
        break;
      }
      case "invalid_type":
        if (issue.input === undefined || issue.input === null || issue.input === "") return zh ? "必填" : "Required";
        break;
    }
    return fallback(issue);
  };
}

/** What a stored zod issue (code, origin, limits) says in the person's language; null when the map has no words for it. */
export function zodIssueText(
  issue: { code: string; origin?: string; minimum?: number | bigint; maximum?: number | bigint; format?: string; expected?: string },
  locale: Locale,
): string | null {
  const out = zodErrorMap(locale)({ ...issue, path: [], input: undefined, message: "" } as unknown as Issue);
  const msg = typeof out === "string" ? out : out?.message;
  return msg || null;
}
