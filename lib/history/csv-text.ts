import "server-only";
import { getTranslations } from "next-intl/server";
import type { CsvText } from "./csv";

/** The CSV's headers and state/type/audience names in the reader's language (the `history` catalog). */
export async function historyCsvText(): Promise<CsvText> {
  const t = await getTranslations("history");
  const known = (key: string, raw: string) => (t.has(key) ? t(key as never) : raw);
  return {
    header: (c) => t(`csv.${c}`),
    state: (s) => known(`states.${s}`, s),
    type: (x) => known(`types.${x}`, x),
    audience: (a) => known(`audiences.${a}`, a),
  };
}
