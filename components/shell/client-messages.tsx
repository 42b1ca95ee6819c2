import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import { pickMessages, SHELL_NAMESPACES } from "@/lib/i18n/client-messages";

/**
 * The messages the client components below need: the shell's and `namespaces` (every namespace a
 * client component below calls useTranslations with). A provider replaces its parent's messages
 * rather than adding to them, so the shell's are included again.
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly string[]; children: React.ReactNode }) {
  const all = (await getMessages()) as Record<string, unknown>;
  return <NextIntlClientProvider messages={pickMessages(all, [...SHELL_NAMESPACES, ...namespaces])}>{children}</NextIntlClientProvider>;
}
