import { CsvError, parse as parseCsv } from "csv-parse";
import { Readable } from "node:stream";
import { isEmbedded, type Db, type DbOrTx } from "@/db/client";
import { audienceListChunks, audienceLists } from "@/db/schema";
import { eq } from "drizzle-orm";
import { OpenIdSet } from "./openid-set";
import { splitSizes } from "./split";

const SEGMENT = 10_000;
export const MAX_LIST = 5_000_000;
/** WeChat's openid send takes 2–10 000 OpenIDs a request: a list of fewer than 2 cannot be sent. */
const MIN_LIST = 2;
/**
 * An OpenID is 28 characters; a line longer than this is invalid whatever it holds, and is counted
 * as such without being kept (a file without line ends made the import quadratic).
 */
export const MAX_LINE = 256;
/** A CSV row (several columns) longer than this means the file is not an OpenID list. */
const MAX_CSV_ROW = 64 * 1024;
const SAMPLES = 20;

export interface ImportReport {
  linesRead: number;
  valid: number;
  invalid: number;
  blank: number;
  duplicates: number;
  invalidSamples: { line: number; value: string }[];
  requests: number;
  column: string | null;
  tooMany: boolean;
}

export interface ImportOptions {
  /** CSV column to read, by header name; without it, the first column (a TXT file is one column). */
  column?: string | null;
  /** The input's size in bytes when known (an upload's Content-Length): sizes the de-duplication set once. */
  sizeHint?: number | null;
  /** The most distinct OpenIDs a list may hold (MAX_LIST; smaller in tests). */
  maxList?: number;
}

/** Why a list is refused as a whole; nothing of it is kept. */
export type ImportRefusal =
  | { code: "tooMany"; max: number }
  | { code: "tooFew"; valid: number }
  | { code: "utf16" }
  | { code: "longRow"; line: number; limit: number }
  | { code: "malformedCsv"; line: number };

export class ImportRefusedError extends Error {
  constructor(
    readonly refusal: ImportRefusal,
    /** What was read before the refusal, when it helps to show it (the invalid lines of a too-short list). */
    readonly report?: ImportReport,
  ) {
    super(`audience list refused: ${refusal.code}`);
    this.name = "ImportRefusedError";
  }
}

/**
 * How many lines the whole input holds, estimated from its size and the lines of its first chunk.
 * The set is then made at its final size: growing it from small rehashed every OpenID four times at
 * 1 000 000 (~0.2 s of ~1.1 s) and held the old and the new table at once.
 */
function expectedLines(sizeHint: number | null | undefined, head: string, headBytes: number): number {
  const fallback = 1 << 16;
  if (!sizeHint || !Number.isFinite(sizeHint) || sizeHint <= 0 || headBytes === 0) return fallback;
  let lines = 0;
  for (let i = head.indexOf("\n"); i !== -1; i = head.indexOf("\n", i + 1)) lines++;
  if (lines === 0) return fallback;
  return Math.min(MAX_LIST + 1, Math.ceil((sizeHint * lines) / headBytes));
}

/** Writes segments as they fill, so memory stays flat however long the list. */
class SegmentWriter {
  private buf: string[] = [];
  private seq = 0;
  private first = 0;
  private pending: (typeof audienceListChunks.$inferInsert)[] = [];
  // On PostgreSQL, ten segments (≈ 2.9 MB) an INSERT: fewer round trips and commits. On PGlite,
  // whose engine shares this process's memory, one: ten at once touched ~40 MB more of its heap at
  // 1 000 000 OpenIDs (peak RSS 327 against 288 MB) for 12 % less time (bench/audience-import.ts).
  private readonly perInsert: number;
  constructor(
    private readonly db: Db,
    private readonly listId: string,
  ) {
    this.perInsert = isEmbedded(db) ? 1 : 10;
  }
  /** A promise only when a segment was cut (the caller awaits it then; a million awaits cost ~20 % of an import). */
  push(openid: string): Promise<void> | undefined {
    this.buf.push(openid);
    return this.buf.length === SEGMENT ? this.cut() : undefined;
  }
  private async cut() {
    if (this.buf.length === 0) return;
    this.pending.push({ listId: this.listId, seq: this.seq++, first: this.first, count: this.buf.length, openids: this.buf.join("\n") });
    this.first += this.buf.length;
    this.buf = [];
    if (this.pending.length >= this.perInsert) await this.flush();
    // Let the event loop breathe once a segment: on PGlite (in-process, answering through
    // microtasks) a 5 000 000-line import would otherwise hold the web server's loop for its whole
    // duration, and nothing else (pages, timers, other requests) would run meanwhile.
    await new Promise<void>((r) => setImmediate(r));
  }
  private async flush() {
    if (this.pending.length === 0) return;
    await this.db.insert(audienceListChunks).values(this.pending);
    this.pending = [];
  }
  async end() {
    await this.cut();
    await this.flush();
  }
}

/**
 * A value as it may be shown and stored: control characters (a UTF-16 or binary file is full of
 * NUL, which PostgreSQL's text and jsonb refuse) become U+FFFD.
 */
function printable(v: string) {
  return v.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "\uFFFD");
}

function sample(v: string) {
  return printable(v.length > 60 ? v.slice(0, 57) + "…" : v);
}

/**
 * Reads a CSV or TXT of OpenIDs as a stream, validates each (28 characters of [A-Za-z0-9_-]),
 * drops blanks and duplicates (keeping first occurrences in order) and stores the list in segments.
 * A one-column file takes a fast line path; anything with commas or quotes goes through csv-parse.
 */
export async function importAudienceStream(db: Db, listId: string, input: AsyncIterable<Uint8Array | string>, opts: ImportOptions = {}): Promise<ImportReport> {
  const writer = new SegmentWriter(db, listId);
  const r: ImportReport = {
    linesRead: 0,
    valid: 0,
    invalid: 0,
    blank: 0,
    duplicates: 0,
    invalidSamples: [],
    requests: 0,
    column: opts.column ?? null,
    tooMany: false,
  };

  /** Counts one value; returns a promise only when it completed a segment (await it then). */
  const maxList = opts.maxList ?? MAX_LIST;
  const invalid = (v: string, line: number) => {
    r.invalid++;
    if (r.invalidSamples.length < SAMPLES) r.invalidSamples.push({ line, value: sample(v) });
  };
  const take = (raw: string, line: number): Promise<void> | undefined => {
    const v = raw.trim();
    if (v === "") {
      r.blank++;
      return;
    }
    const added = v.length === 28 ? set.addAt(v, 0) : -1;
    if (added === -1) invalid(v, line);
    else if (added === 0) r.duplicates++;
    else if (r.valid >= maxList) {
      // One OpenID past the cap: the list is refused and reading stops here, so neither the
      // de-duplication set nor the stored segments grow any further.
      r.tooMany = true;
      throw new ImportRefusedError({ code: "tooMany", max: maxList });
    } else {
      r.valid++;
      return writer.push(v);
    }
  };

  const decoder = new TextDecoder("utf-8");
  const iterator = input[Symbol.asyncIterator]();
  // Look at the start to choose the path and find the header.
  let head = "";
  const early: (Uint8Array | string)[] = [];
  let headBytes = 0;
  while (!head.includes("\n")) {
    const n = await iterator.next();
    if (n.done) break;
    early.push(n.value);
    headBytes += typeof n.value === "string" ? Buffer.byteLength(n.value) : n.value.byteLength;
    head += typeof n.value === "string" ? n.value : decoder.decode(n.value, { stream: true });
    if (head.length > 1 << 20) break;
  }
  // A file saved as UTF-16 (Excel's "Unicode text", Notepad's "Unicode") starts with its byte order
  // mark; read as UTF-8 every character would carry a NUL. Refused with how to save it instead.
  const firstBytes = typeof early[0] === "string" ? null : early[0];
  if (firstBytes && firstBytes.length >= 2 && ((firstBytes[0] === 0xff && firstBytes[1] === 0xfe) || (firstBytes[0] === 0xfe && firstBytes[1] === 0xff))) {
    throw new ImportRefusedError({ code: "utf16" });
  }
  const set = new OpenIdSet(expectedLines(opts.sizeHint, head, headBytes));
  head = head.replace(/^\uFEFF/, "");
  const firstLine = head.split(/\r?\n/)[0] ?? "";
  const isCsv = /[,;\t"]/.test(firstLine) || !!opts.column;
  async function* replay() {
    for (const c of early) yield c;
    for (;;) {
      const n = await iterator.next();
      if (n.done) return;
      yield n.value;
    }
  }

  if (!isCsv) {
    // One OpenID a line. A first line that is not an OpenID but a word like "openid" is a header.
    // Each chunk is scanned once: only the unfinished end of a line is carried to the next chunk,
    // and a line past MAX_LINE is dropped as it arrives (remembering its start for the report).
    const d2 = new TextDecoder("utf-8");
    let rest = "";
    let overlong: string | null = null;
    let line = 0;
    let first = true;
    const endLine = (s: string): Promise<void> | undefined => {
      line++;
      if (first) {
        first = false;
        s = s.replace(/^\uFEFF/, "");
        if (/^\s*open_?id\s*$/i.test(s)) {
          r.column = s.trim();
          return;
        }
      }
      r.linesRead++;
      return take(s, line);
    };
    const endOverlong = (head: string) => {
      line++;
      first = false;
      r.linesRead++;
      invalid(head, line);
    };
    for await (const chunk of replay()) {
      const text = typeof chunk === "string" ? chunk : d2.decode(chunk, { stream: true });
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl === -1) break;
        const piece = text.slice(start, nl);
        start = nl + 1;
        if (overlong !== null) {
          endOverlong(overlong);
          overlong = null;
          continue;
        }
        const s = rest + piece;
        rest = "";
        if (s.length > MAX_LINE) endOverlong(s.slice(0, 60));
        else {
          const cut = endLine(s);
          if (cut) await cut;
        }
      }
      if (overlong !== null) continue;
      rest += text.slice(start);
      if (rest.length > MAX_LINE) {
        overlong = rest.slice(0, 60);
        rest = "";
      }
    }
    rest += d2.decode();
    if (overlong !== null) endOverlong(overlong);
    else if (rest.length > MAX_LINE) endOverlong(rest.slice(0, 60));
    else if (rest.length > 0) {
      const s = rest.replace(/^\uFEFF/, "");
      if (!(first && /^\s*open_?id\s*$/i.test(s))) {
        line++;
        r.linesRead++;
        await take(s, line);
      }
    }
  } else {
    const parser = Readable.from(replay()).pipe(
      parseCsv({ bom: true, max_record_size: MAX_CSV_ROW, relax_column_count: true, skip_empty_lines: false, delimiter: [",", ";", "\t"], trim: true }),
    );
    let colIndex = 0;
    let first = true;
    let line = 0;
    try {
      for await (const rec of parser as AsyncIterable<string[]>) {
        line++;
        if (first) {
          first = false;
          const wanted = (opts.column ?? "").trim().toLowerCase();
          const idx = wanted ? rec.findIndex((h) => h.trim().toLowerCase() === wanted) : rec.findIndex((h) => /^open_?id$/i.test(h.trim()));
          if (idx >= 0) {
            colIndex = idx;
            r.column = rec[idx];
            continue;
          }
          if (wanted) throw new ImportColumnError(opts.column!, rec);
        }
        r.linesRead++;
        await take(rec[colIndex] ?? "", line);
      }
    } catch (e) {
      // csv-parse's own refusals (an unclosed quote, a row past max_record_size): the file as a whole is not a list.
      if (!(e instanceof CsvError)) throw e;
      if (e.code === "CSV_MAX_RECORD_SIZE") throw new ImportRefusedError({ code: "longRow", line: line + 1, limit: MAX_CSV_ROW });
      throw new ImportRefusedError({ code: "malformedCsv", line: line + 1 });
    }
  }
  await writer.end();
  r.requests = splitSizes(r.valid).length;
  if (r.valid < MIN_LIST) throw new ImportRefusedError({ code: "tooFew", valid: r.valid }, r);
  return r;
}

export class ImportColumnError extends Error {
  constructor(
    readonly column: string,
    readonly headers: string[],
  ) {
    super(printable(`column "${column}" not found; the header has: ${headers.join(", ")}`));
  }
}

/** Records the report on the list; a failed import keeps its error and no members. */
export async function finishImport(db: DbOrTx, listId: string, r: ImportReport | { error: string }) {
  if ("error" in r) {
    await db.delete(audienceListChunks).where(eq(audienceListChunks.listId, listId));
    await db.update(audienceLists).set({ status: "failed", error: r.error }).where(eq(audienceLists.id, listId));
    return;
  }
  await db
    .update(audienceLists)
    .set({
      status: "ready",
      linesRead: r.linesRead,
      validCount: r.valid,
      invalidCount: r.invalid,
      duplicateCount: r.duplicates,
      blankCount: r.blank,
      invalidSamples: r.invalidSamples,
    })
    .where(eq(audienceLists.id, listId));
}
