// Which messages reach the browser. next-intl's provider otherwise serialises every namespace into
// every page (49 KB of JSON, more than a history page's 50 rows): the shell's namespaces go to
// every page, and each part of the console adds what its own client components translate, through
// <ClientMessages> in its layout or page.
export const SHELL_NAMESPACES = ["common", "nav", "errors"] as const;

export function pickMessages(all: Record<string, unknown>, namespaces: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const ns of namespaces) if (ns in all) out[ns] = all[ns];
  return out;
}
