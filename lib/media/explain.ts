import "server-only";
import { getLocale, getTranslations } from "next-intl/server";
import { toLocale } from "@/lib/i18n/locales";
import { describeError, WeChatApiError, WeChatTransportError } from "@/lib/wechat";
import { MediaRuleError } from "./errors";
import { formatBytes, formatLimit } from "./limits";

/**
 * A media refusal as the person reads it, in their language, naming the limit; a WeChat error
 * with its errcode, meaning and what to do. null for anything else (an unexpected failure).
 */
export async function explainMediaError(e: unknown): Promise<string | null> {
  if (e instanceof MediaRuleError) {
    const t = await getTranslations("media");
    const p = e.params;
    return t(`rule.${e.code}`, {
      kind: e.kind ? t(`kind.${e.kind}`) : "",
      max: typeof p.max === "number" ? formatLimit(p.max) : "",
      size: typeof p.size === "number" ? formatBytes(p.size) : "",
      allowed: String(p.allowed ?? ""),
      found: String(p.found ?? ""),
      seconds: String(p.seconds ?? ""),
      maxSeconds: String(p.maxSeconds ?? ""),
    });
  }
  if (e instanceof WeChatApiError || e instanceof WeChatTransportError) {
    const t = await getTranslations("media");
    return t("wechatRefused", { detail: describeError(e, toLocale(await getLocale())) });
  }
  return null;
}
