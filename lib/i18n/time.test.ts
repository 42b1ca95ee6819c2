import { describe, expect, it } from "vitest";
import {
  formatCsvTime,
  formatDateTime,
  formatDateTimeZoned,
  formatOffset,
  fromZonedInput,
  isCalendarDay,
  isTimeZone,
  parseDateTimeText,
  parseDayText,
  supportedTimeZones,
  toZonedInput,
  zoneLabel,
  zonedDateTimeParts,
} from "./time";

const at = new Date("2026-12-03T08:40:05Z");

describe("one clock", () => {
  it("writes an instant in the account's zone, year first, 24-hour, the same in both languages", () => {
    expect(formatDateTime(at, "Asia/Shanghai")).toBe("2026-12-03 16:40");
    expect(formatDateTime(at.toISOString(), "Asia/Shanghai")).toBe("2026-12-03 16:40");
    expect(formatDateTime(at, "America/New_York")).toBe("2026-12-03 03:40");
    expect(formatDateTime(new Date("2026-12-03T16:05:00Z"), "Asia/Shanghai")).toBe("2026-12-04 00:05"); // midnight is 00, never 24
    expect(formatDateTime(at, "Asia/Shanghai", { seconds: true })).toBe("2026-12-03 16:40:05");
    expect(formatDateTime(null, "Asia/Shanghai")).toBe("—");
    expect(formatDateTime("not a date", "Asia/Shanghai")).toBe("—");
    expect(formatDateTime(new Date("2026-12-03T20:00:00Z"), "UTC")).not.toMatch(/AM|PM|上午|下午|T|Z/);
  });

  it("labels the zone where it could be doubted", () => {
    expect(formatDateTimeZoned(at, "Asia/Shanghai", "zh-CN")).toBe("2026-12-03 16:40 北京时间");
    expect(formatDateTimeZoned(at, "Asia/Shanghai", "en")).toBe("2026-12-03 16:40 Beijing time");
    expect(zoneLabel("Asia/Kolkata", "zh-CN", at)).toBe("UTC+05:30");
    expect(zoneLabel("America/New_York", "en", at)).toBe("UTC-05");
    expect(zoneLabel("America/New_York", "en", new Date("2026-07-01T12:00:00Z"))).toBe("UTC-04");
    // The table cell's two parts (ZonedTime) are the same words.
    expect(zonedDateTimeParts(at, "Asia/Kolkata", "en")).toEqual(["2026-12-03 14:10", "UTC+05:30"]);
    expect(zonedDateTimeParts("not a time", "Asia/Shanghai", "en")).toBeNull();
    expect(formatDateTimeZoned(null, "Asia/Shanghai", "en")).toBe("—");
  });

  it("gives the CSV the time with its offset", () => {
    expect(formatOffset(at, "Asia/Shanghai")).toBe("+08:00");
    expect(formatOffset(at, "Asia/Kathmandu")).toBe("+05:45");
    expect(formatCsvTime(at, "Asia/Shanghai")).toBe("2026-12-03 16:40:05 +08:00");
    expect(formatCsvTime(at, "America/New_York")).toBe("2026-12-03 03:40:05 -05:00");
    expect(formatCsvTime(null, "Asia/Shanghai")).toBe("");
  });

  it("reads a datetime-local value as wall time in the account's zone, not the browser's", () => {
    expect(fromZonedInput("2026-12-03T16:40", "Asia/Shanghai")?.toISOString()).toBe("2026-12-03T08:40:00.000Z");
    expect(fromZonedInput("2026-07-01T09:00", "America/New_York")?.toISOString()).toBe("2026-07-01T13:00:00.000Z");
    expect(fromZonedInput("2026-12-01T09:00", "America/New_York")?.toISOString()).toBe("2026-12-01T14:00:00.000Z");
    expect(toZonedInput(fromZonedInput("2026-12-03T16:40", "Asia/Shanghai")!, "Asia/Shanghai")).toBe("2026-12-03T16:40");
    expect(fromZonedInput("2026-13-45T10:00", "Asia/Shanghai")).toBeNull();
    expect(fromZonedInput("tomorrow", "Asia/Shanghai")).toBeNull();
  });

  it("knows real zones and real days", () => {
    expect(isTimeZone("Asia/Shanghai")).toBe(true);
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(supportedTimeZones()[0]).toBe("Asia/Shanghai");
    expect(supportedTimeZones()).toContain("Europe/Berlin");
    expect(isCalendarDay("2026-12-03")).toBe(true);
    expect(isCalendarDay("2024-02-29")).toBe(true);
    expect(isCalendarDay("2026-02-29")).toBe(false);
    expect(isCalendarDay("2020-13-45")).toBe(false);
    expect(isCalendarDay("2020-1-5")).toBe(false);
  });
});

describe("typed dates", () => {
  it("reads the ways people write a day, and refuses what is no day", () => {
    for (const s of ["2026-12-03", "2026/12/3", "2026.12.03", "2026年12月3日", "20261203", " 2026-12-3 ", "２０２６-１２-０３"]) {
      expect(parseDayText(s), s).toBe("2026-12-03");
    }
    for (const s of ["", "12/03/2026", "2026-13-01", "2026-02-29", "2026-12", "yesterday", "2026-12-03 10:00"]) {
      expect(parseDayText(s), s).toBeNull();
    }
    expect(parseDayText("2024-02-29")).toBe("2024-02-29");
  });

  it("reads a day and a time in 24 hours, and refuses the rest", () => {
    expect(parseDateTimeText("2026-12-05 09:30")).toBe("2026-12-05T09:30");
    expect(parseDateTimeText("2026-12-05T09:30")).toBe("2026-12-05T09:30");
    expect(parseDateTimeText("2026/12/5 9:05")).toBe("2026-12-05T09:05");
    expect(parseDateTimeText("2026年12月5日 9点30分")).toBe("2026-12-05T09:30");
    expect(parseDateTimeText("2026-12-05 21：30")).toBe("2026-12-05T21:30");
    for (const s of ["2026-12-05", "2026-12-05 24:00", "2026-12-05 9:60", "2026-12-32 09:00", "9:30"]) {
      expect(parseDateTimeText(s), s).toBeNull();
    }
  });
});
