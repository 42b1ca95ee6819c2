import { describe, expect, it } from "vitest";
import { csvField, csvRow, historyCsvStream, type CsvPage, type CsvText } from "./csv";
import type { HistoryRow } from "./history";

const row = (id: string, name: string): HistoryRow => ({
  id,
  accountId: "a1",
  accountName: "A",
  accountTimeZone: "Asia/Shanghai",
  name,
  state: "finished",
  messageType: "mpnews",
  title: "",
  audienceKind: "all",
  audienceLabel: null,
  audienceSize: null,
  createdBy: null,
  approvedBy: null,
  sentBy: null,
  createdAt: new Date("2026-11-01T00:00:00Z"),
  startedAt: null,
  scheduledAt: null,
  requests: 1,
  totalCount: 10,
  filterCount: 9,
  sentCount: 8,
  errorCount: 1,
});

describe("history CSV stream", () => {
  it("fetches the next page only when the reader asks for it", async () => {
    const asked: (string | undefined)[] = [];
    const pages: Record<string, CsvPage> = {
      first: { rows: [row("c1", "one"), row("c2", "two")], next: "k2" },
      k2: { rows: [row("c3", "three")], next: "k3" },
      k3: { rows: [row("c4", "=1+1")], next: null },
    };
    const stream = historyCsvStream(async (after) => {
      asked.push(after);
      return pages[after ?? "first"];
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([]); // nothing fetched before anyone reads
    const reader = stream.getReader();
    const dec = new TextDecoder("utf-8", { ignoreBOM: true });
    const header = dec.decode((await reader.read()).value);
    expect(header.startsWith('\uFEFF"id","account","name",')).toBe(true);
    expect(asked).toEqual([]);
    const p1 = dec.decode((await reader.read()).value);
    expect(
      p1
        .split("\r\n")
        .filter(Boolean)
        .map((l) => l.split(",")[0]),
    ).toEqual(['"c1"', '"c2"']);
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([undefined]); // the second page waits for the next read
    dec.decode((await reader.read()).value);
    expect(asked).toEqual([undefined, "k2"]);
    const p3 = dec.decode((await reader.read()).value);
    expect(p3).toContain("'=1+1");
    expect((await reader.read()).done).toBe(true);
    expect(asked).toEqual([undefined, "k2", "k3"]);
  });

  it("a reader that stops early stops the queries", async () => {
    let calls = 0;
    const stream = historyCsvStream(async () => {
      calls++;
      return { rows: [row(`c${calls}`, "x")], next: `k${calls}` };
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
  });

  it("quotes and defuses fields", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(csvField(null)).toBe("");
    expect(csvField(12)).toBe('"12"');
  });

  /** Split a line the way a spreadsheet would if it ignored nothing but quotes, with the given separator. */
  const cellsBy = (line: string, sep: string) => {
    const out: string[] = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === sep) {
        out.push(cur);
        cur = "";
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };

  it.each([",", ";", "\t"])("no cell starts a formula when a spreadsheet splits on %j", (sep) => {
    const nasty = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", " =1", "＝1", 'a;=HYPERLINK("x")', "a;=1", "a;@x", "a,=1", "a\t=1", 'b";=1;"', "x\n=1"];
    for (const v of nasty) {
      const line = csvRow({ ...row("c1", v), title: v, accountName: v });
      for (const cell of cellsBy(line, sep)) expect(cell, `${JSON.stringify(v)} split on ${JSON.stringify(sep)}`).not.toMatch(/^[\s]*[=+\-@\uFF1D]/);
    }
  });

  it("writes headers, states and times in the reader's words and the account's zone", () => {
    const zh: CsvText = {
      header: (c) => ({ state: "状态", createdAt: "创建时间" })[c as string] ?? c,
      state: (s) => (s === "finished" ? "已完成" : s),
      type: (t) => (t === "mpnews" ? "图文" : t),
      audience: (a) => (a === "all" ? "全部粉丝" : a),
    };
    const line = csvRow({ ...row("c1", "n"), accountTimeZone: "Asia/Shanghai", createdAt: new Date("2026-12-03T08:40:00Z") }, zh);
    const cells = cellsBy(line, ",");
    expect(cells).toContain("已完成");
    expect(cells).toContain("图文");
    expect(cells).toContain("全部粉丝");
    expect(cells).toContain("2026-12-03 16:40:00 +08:00");
    expect(line).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/); // no bare ISO
    const ny = cellsBy(csvRow({ ...row("c1", "n"), accountTimeZone: "America/New_York", createdAt: new Date("2026-12-03T08:40:00Z") }, zh), ",");
    expect(ny).toContain("2026-12-03 03:40:00 -05:00");
    // target 10, FilterCount 9: one filtered out
    expect(cells.slice(-4)).toEqual(["10", "1", "8", "1"]);
  });
});
