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

export interface CsvPage {
  rows: HistoryRow[];
  next: string | null;
}

/**
 * The CSV as a pull stream: the header first, then one keyset page per read. A page is fetched
 * only when the reader asks for more (highWaterMark 0: nothing is read ahead), so a slow download
 * holds one page in memory and a closed connection stops the queries.
 */
export function historyCsvStream(fetchPage: (after: string | undefined) => Promise<CsvPage>): ReadableStream<Uint8Array> {
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
          controller.enqueue(enc.encode("\uFEFF" + CSV_COLUMNS.join(",") + "\r\n"));
          return;
        }
        if (done) return;
        const page = await fetchPage(after);
        if (page.rows.length) controller.enqueue(enc.encode(page.rows.map(csvRow).join("\r\n") + "\r\n"));
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
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${baseName}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
