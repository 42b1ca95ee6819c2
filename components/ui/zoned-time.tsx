import { zonedDateTimeParts } from "@/lib/i18n/time";
import type { Locale } from "@/lib/i18n/locales";

/**
 * A time in a table cell as formatDateTimeZoned writes it (`2026-12-03 16:40 北京时间`), with the
 * zone's name free to go to a second line: on a phone a cell that never wraps squeezed the cells next
 * to it to one character a line.
 */
export function ZonedTime({ at, timeZone, locale }: { at: Date | string; timeZone: string; locale: Locale }) {
  const d = typeof at === "string" ? new Date(at) : at;
  const parts = zonedDateTimeParts(d, timeZone, locale);
  if (!parts) return <>—</>;
  return (
    <time dateTime={d.toISOString()}>
      <span className="whitespace-nowrap">{parts[0]}</span> <span className="whitespace-nowrap">{parts[1]}</span>
    </time>
  );
}
