import type { HistoryRow } from "./history";

/** RFC 4180 field; a leading =, +, - or @ is prefixed so a spreadsheet never runs it as a formula. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  "id",
  "account",
  "name",
  "title",
  "type",
  "audience",
  "audience_name",
  "audience_size",
  "state",
  "requests",
  "created_by",
  "approved_by",
  "sent_by",
  "created_at",
  "started_at",
  "total",
  "filtered",
  "sent",
  "errors",
] as const;

export function csvRow(r: HistoryRow): string {
  return [
    r.id,
    r.accountName,
    r.name,
    r.title,
    r.messageType,
    r.audienceKind,
    r.audienceLabel,
    r.audienceSize,
    r.state,
    r.requests,
    r.createdBy,
    r.approvedBy,
    r.sentBy,
    r.createdAt,
    r.startedAt,
    r.totalCount,
    r.filterCount,
    r.sentCount,
    r.errorCount,
  ]
    .map(csvField)
    .join(",");
}
