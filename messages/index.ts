// One file per namespace and locale, so features add their own strings without touching others'.
// Add a namespace: create messages/zh-CN/<ns>.json and messages/en/<ns>.json ({ "<ns>": { … } })
// and list it in NAMESPACES; test/i18n-catalogs.test.ts checks both locales have the same keys.
import type { Locale } from "@/lib/i18n/locales";

export const NAMESPACES = [
  "common",
  "errors",
  "rules",
  "auth",
  "nav",
  "home",
  "dashboard",
  "accounts",
  "users",
  "audit",
  "profile",
  "history",
  "sandbox",
  "campaigns",
  "audiences",
  "media",
  "news",
  "callbacks",
] as const;

export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const parts = await Promise.all(NAMESPACES.map((ns) => import(`./${locale}/${ns}.json`).then((m) => m.default as Record<string, unknown>)));
  return Object.assign({}, ...parts);
}
