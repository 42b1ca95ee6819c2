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

/**
 * The actions the audit filter offers, grouped as the catalog groups them: each group's value is its
 * prefix (`campaign.`, every campaign action), each action's its full name (`campaign.approve`).
 */
export async function auditActionChoices(): Promise<{ group: string; label: string; all: string; actions: { value: string; label: string }[] }[]> {
  const t = await getTranslations("audit");
  const names = t.raw("actionNames") as Record<string, Record<string, string>>;
  return Object.entries(names).map(([group, actions]) => {
    const label = t.has(`actionGroups.${group}`) ? t(`actionGroups.${group}` as never) : group;
    return {
      group,
      label,
      all: t("allActionsOf", { group: label }),
      actions: Object.entries(actions).map(([k, v]) => ({ value: `${group}.${k}`, label: v })),
    };
  });
}
