import { formatDateTime, zoneLabel } from "@/lib/i18n/time";
import type { Locale } from "@/lib/i18n/locales";

/**
 * A time in a table cell as formatDateTimeZoned writes it (`2026-12-03 16:40 北京时间`), with the
 * zone's name free to go to a second line: on a phone a cell that never wraps squeezed the cells next
 * to it to one character a line.
 */
export function ZonedTime({ at, timeZone, locale }: { at: Date | string; timeZone: string; locale: Locale }) {
  const d = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return <>—</>;
  return (
    <time dateTime={d.toISOString()}>
      <span className="whitespace-nowrap">{formatDateTime(d, timeZone)}</span> <span className="whitespace-nowrap">{zoneLabel(timeZone, locale, d)}</span>
    </time>
  );
}
