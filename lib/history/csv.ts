import type { HistoryRow } from "./history";
import { DEFAULT_TIME_ZONE, formatCsvTime, formatDate } from "@/lib/i18n/time";

/** Characters a spreadsheet may read as the start of a formula (ASCII and the full-width forms some locales accept). */
const FORMULA_START = /^[\s]*[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * One CSV cell (RFC 4180). Every non-empty cell is quoted, so no separator a spreadsheet may pick
 * (`,`, `;` in locales whose decimal mark is a comma, tab) can split it into a new cell that starts
 * a formula; a cell that itself starts like a formula gets a leading `'` so it is shown as text.
 */
export function csvField(v: unknown, timeZone = DEFAULT_TIME_ZONE): string {
  if (v === null || v === undefined || v === "") return "";
  let s = v instanceof Date ? formatCsvTime(v, timeZone) : String(v);
  if (typeof v === "string" && FORMULA_START.test(s)) s = "'" + s;
  return `"${s.replace(/"/g, '""')}"`;
}

const CSV_COLUMNS = [
  "id",
  "account",
  "name",
  "title",
  "type",
  "audience",
  "audienceName",
  "audienceSize",
  "state",
  "requests",
  "createdBy",
  "approvedBy",
  "sentBy",
  "createdAt",
  "startedAt",
  "target",
  "filteredOut",
  "delivered",
  "failed",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The words of the CSV in the reader's language: column headers and the names of states, types and audiences. */
export interface CsvText {
  header(c: CsvColumn): string;
  state(s: string): string;
  type(t: string): string;
  audience(a: string): string;
}

/** Column names as they are (tests, scripts): the raw values. */
const RAW_CSV_TEXT: CsvText = { header: (c) => c, state: (s) => s, type: (t) => t, audience: (a) => a };

export function csvRow(r: HistoryRow, text: CsvText = RAW_CSV_TEXT): string {
  const zone = r.accountTimeZone;
  return [
    r.id,
    r.accountName,
    r.name,
    r.title,
    text.type(r.messageType),
    text.audience(r.audienceKind),
    r.audienceLabel,
    r.audienceSize,
    text.state(r.state),
    r.requests,
    r.createdBy,
    r.approvedBy,
    r.sentBy,
    r.createdAt,
    r.startedAt,
    r.totalCount,
    r.totalCount !== null && r.filterCount !== null ? Math.max(0, r.totalCount - r.filterCount) : null,
    r.sentCount,
    r.errorCount,
  ]
    .map((v) => csvField(v, zone))
    .join(",");
}

export interface CsvPage {
  rows: HistoryRow[];
  next: string | null;
}

/**
 * The CSV as a pull stream: the header first, then one keyset page per read. A page is fetched
 * only when the reader asks for more (highWaterMark 0: nothing is read ahead), so a slow download
 * holds one page in memory and a closed connection stops the queries.
 */
export function historyCsvStream(fetchPage: (after: string | undefined) => Promise<CsvPage>, text: CsvText = RAW_CSV_TEXT): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let headerSent = false;
  let after: string | undefined;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          // BOM: spreadsheet programs read the Chinese names as UTF-8.
          controller.enqueue(enc.encode("\uFEFF" + CSV_COLUMNS.map((c) => csvField(text.header(c))).join(",") + "\r\n"));
          return;
        }
        if (done) return;
        const page = await fetchPage(after);
        if (page.rows.length) controller.enqueue(enc.encode(page.rows.map((r) => csvRow(r, text)).join("\r\n") + "\r\n"));
        if (page.next) after = page.next;
        else {
          done = true;
          controller.close();
        }
      },
    },
    { highWaterMark: 0 },
  );
}

export function csvResponse(stream: ReadableStream<Uint8Array>, baseName: string) {
  const day = formatDate(new Date(), DEFAULT_TIME_ZONE);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${baseName}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
