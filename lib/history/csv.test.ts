import { describe, expect, it } from "vitest";
import { csvField, historyCsvStream, type CsvPage } from "./csv";
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
    expect(header.startsWith("\uFEFFid,account,name,")).toBe(true);
    expect(asked).toEqual([]);
    const p1 = dec.decode((await reader.read()).value);
    expect(p1.split("\r\n").filter(Boolean).map((l) => l.split(",")[0])).toEqual(["c1", "c2"]);
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
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(null)).toBe("");
  });
});
