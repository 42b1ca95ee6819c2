import "server-only";
import { getTranslations } from "next-intl/server";

/** "开始日期「2020-13-45」不是有效日期（格式 YYYY-MM-DD），已忽略该条件。", one sentence per refused field. */
export async function refusedDaysMessage(refused: { field: "from" | "to"; value: string }[]): Promise<string> {
  const t = await getTranslations("history");
  return refused.map((r) => t("refusedDay", { field: t(r.field), value: r.value })).join(" ");
}
