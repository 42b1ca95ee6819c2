import { getRequestConfig } from "next-intl/server";
import { cookies } from "next/headers";
import { LOCALE_COOKIE, toLocale } from "@/lib/i18n/locales";
import { loadMessages } from "@/messages";

// No locale in the URL: the NEXT_LOCALE cookie chooses, zh-CN by default.
export default getRequestConfig(async () => {
  const store = await cookies();
  const locale = toLocale(store.get(LOCALE_COOKIE)?.value);
  return {
    locale,
    messages: await loadMessages(locale),
    timeZone: "Asia/Shanghai",
  };
});
