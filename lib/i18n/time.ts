/**
 * The one clock: every time the console shows (pages, CSV, audit log, invitations, sandbox) is
 * written here, in one time zone (the account's, else Asia/Shanghai) and one format for both
 * languages: `2026-12-03 16:40`, 24-hour, year first, never AM/PM and never bare ISO/UTC.
 * Pure functions over Intl, so server and client components share them.
 */
import type { Locale } from "./locales";

/** The zone of pages not tied to one account, and the default of a new account. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

type Instant = Date | string | number;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows this IANA zone (the account setting is checked against it). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zones the account form offers: a fixed list (the same on server and browser, whose Intl lists
 * may differ), with the account's current zone added when it is another one Intl knows.
 */
const COMMON_TIME_ZONES = [
  "Asia/Shanghai",
  "Asia/Hong_Kong",
  "Asia/Taipei",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Asia/Seoul",
  "Asia/Bangkok",
  "Asia/Kolkata",
  "Asia/Dubai",
  "Australia/Sydney",
  "Pacific/Auckland",
  "Europe/London",
  "Europe/Paris",
  "Europe/Berlin",
  "Europe/Moscow",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "UTC",
] as const;

export function timeZoneChoices(current?: string): string[] {
  const list: string[] = [...COMMON_TIME_ZONES];
  if (current && !list.includes(current) && isTimeZone(current)) list.push(current);
  return list;
}

/** Every zone Intl knows, the default first (for checks and scripts). */
export function supportedTimeZones(): string[] {
  const list = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [DEFAULT_TIME_ZONE, ...list.filter((z) => z !== DEFAULT_TIME_ZONE)];
}

function toDate(d: Instant): Date {
  return d instanceof Date ? d : new Date(d);
}

interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function wallClock(d: Date, timeZone: string): WallClock {
  const parts = partsFormatter(timeZone).formatToParts(d);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? "00";
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour") === "24" ? "00" : get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

/** Minutes the zone is ahead of UTC at that instant (480 for Beijing). */
function zoneOffsetMinutes(d: Instant, timeZone: string): number {
  const at = toDate(d);
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(+w.year, +w.month - 1, +w.day, +w.hour, +w.minute, +w.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/** `+08:00`, `-05:00`, `+05:30`. */
export function formatOffset(d: Instant, timeZone: string): string {
  const m = zoneOffsetMinutes(d, timeZone);
  const abs = Math.abs(m);
  return `${m < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** `2026-12-03 16:40` in the zone; `—` for no time or an invalid one. */
export function formatDateTime(d: Instant | null | undefined, timeZone: string = DEFAULT_TIME_ZONE, opts: { seconds?: boolean } = {}): string {
  if (d === null || d === undefined) return "—";
  const at = toDate(d);
  if (Number.isNaN(at.getTime())) return "—";
  const w = wallClock(at, timeZone);
  return `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}${opts.seconds ? `:${w.second}` : ""}`;
}

/** `2026-12-03` in the zone. */
export function formatDate(d: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  const w = wallClock(toDate(d), timeZone);
  return `${w.year}-${w.month}-${w.day}`;
}

/** `12-03` in the zone (chart labels). */
export function formatMonthDay(d: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  const w = wallClock(toDate(d), timeZone);
  return `${w.month}-${w.day}`;
}

/** The zone's name for a reader: 北京时间 / Beijing time for Asia/Shanghai, else `UTC+05:30`. */
export function zoneLabel(timeZone: string, locale: Locale, at: Instant = Date.now()): string {
  if (timeZone === DEFAULT_TIME_ZONE || timeZone === "Asia/Chongqing" || timeZone === "PRC") return locale === "en" ? "Beijing time" : "北京时间";
  const off = formatOffset(at, timeZone).replace(":00", "");
  return `UTC${off}`;
}

/** `["2026-12-03 16:40", "北京时间"]`: the time in the zone and the zone's name; null for no time or an invalid one. */
export function zonedDateTimeParts(d: Instant | null | undefined, timeZone: string, locale: Locale): [time: string, zone: string] | null {
  const s = formatDateTime(d, timeZone);
  return s === "—" ? null : [s, zoneLabel(timeZone, locale, d!)];
}

/** `2026-12-03 16:40 北京时间`: where a reader could doubt the zone (tables, audit, invitations). */
export function formatDateTimeZoned(d: Instant | null | undefined, timeZone: string, locale: Locale): string {
  return zonedDateTimeParts(d, timeZone, locale)?.join(" ") ?? "—";
}

/** The CSV's time: `2026-12-03 16:40:00 +08:00` (the offset makes it unambiguous for any reader). */
export function formatCsvTime(d: Instant | null | undefined, timeZone: string): string {
  if (d === null || d === undefined) return "";
  const at = toDate(d);
  if (Number.isNaN(at.getTime())) return "";
  return `${formatDateTime(at, timeZone, { seconds: true })} ${formatOffset(at, timeZone)}`;
}

/** A `<input type="datetime-local">` value (`2026-12-03T16:40`) showing this instant in the zone. */
export function toZonedInput(d: Instant, timeZone: string): string {
  return formatDateTime(d, timeZone).replace(" ", "T");
}

/**
 * The instant a `datetime-local` value means in the zone (`2026-12-03T16:40` in Shanghai is
 * 08:40 UTC). The offset is taken at the guessed instant and checked once more, so a value next
 * to a daylight-saving change lands on the zone's rule for that day. Null for a malformed value.
 */
export function fromZonedInput(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  let at = asUtc - zoneOffsetMinutes(asUtc, timeZone) * 60000;
  at = asUtc - zoneOffsetMinutes(at, timeZone) * 60000;
  return new Date(at);
}

/** Whether `YYYY-MM-DD` is a real calendar day (2020-13-45 is not). */
export function isCalendarDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

// Date fields are text fields showing the console's one format (`2026-12-03`, `2026-12-03 16:40`):
// a native <input type="date"> draws the browser's format instead (mm/dd/yyyy in an English Chrome
// on a Chinese page, 12-hour times with AM/PM), so a page would show two formats side by side.
// What people type is read leniently: 2026/12/3, 2026.12.3, 2026年12月3日, 20261203, full-width digits.
const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;
function halfWidth(s: string): string {
  return s.replace(FULL_WIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[：]/g, ":");
}
const pad2 = (n: number) => String(n).padStart(2, "0");

/** A typed day as `YYYY-MM-DD`, or null when it is no calendar day. */
export function parseDayText(text: string): string | null {
  const s = halfWidth(text)
    .trim()
    .replace(/日$/, "")
    .replace(/\s*[年月./-]\s*/g, "-");
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const day = `${m[1]}-${pad2(+m[2])}-${pad2(+m[3])}`;
  return isCalendarDay(day) ? day : null;
}

/** A typed day and time as `YYYY-MM-DDTHH:mm` (what fromZonedInput reads), or null. */
export function parseDateTimeText(text: string): string | null {
  const s = halfWidth(text).trim();
  const m = /^(.+?)(?:\s+|T)(\d{1,2})\s*[:点时]\s*(\d{1,2})\s*分?(?::\d{1,2})?$/.exec(s);
  if (!m) return null;
  const day = parseDayText(m[1]);
  const h = +m[2];
  const mi = +m[3];
  if (!day || h > 23 || mi > 59) return null;
  return `${day}T${pad2(h)}:${pad2(mi)}`;
}
