import "server-only";
import { getTranslations } from "next-intl/server";

/** An audit action (`campaign.approve`) in plain words (「批准群发」); an action the catalog does not know stays as written. */
export async function auditActionNamer(): Promise<(action: string) => string> {
  const t = await getTranslations("audit");
  return (action) => {
    const key = `actionNames.${action}`;
    return t.has(key) ? t(key as never) : action;
  };
}
