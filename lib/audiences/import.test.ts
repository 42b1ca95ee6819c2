import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { audienceLists, user, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { openid } from "@/test/support/openids";
import { createAudienceList, readListRange } from "./lists";
import { OpenIdSet } from "./openid-set";

async function* chunks(text: string, size = 4096) {
  const buf = Buffer.from(text, "utf8");
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describeEachDriver("OpenID list import", (driver) => {
  let t: TestDb;
  const actor = { id: "u1", email: "a@x.test" };
  beforeAll(async () => {
    t = await createTestDb(driver);
    await t.handle.db.insert(user).values({ id: "u1", name: "A", email: "a@x.test", role: "admin" });
    await t.handle.db
      .insert(wechatAccounts)
      .values({ id: "acc1", name: "A", appid: "wx1234567890abcdef", type: "service", appSecretEnc: "x", callbackTokenEnc: "x" });
  });
  afterAll(async () => t?.dispose());

  it("a 12 345-line file with blanks, duplicates and malformed IDs gives the exact report", async () => {
    const lines: string[] = [];
    let expectValid = 0;
    const invalidLines: number[] = [];
    for (let i = 0; i < 12_345; i++) {
      const n = i + 1;
      if (n % 100 === 0) lines.push("");
      else if (n % 97 === 0) {
        lines.push(openid(i - 1)); // duplicate of the previous line's id
      } else if (n % 101 === 0) {
        lines.push(i % 2 ? "not-an-openid" : openid(i) + "x");
        invalidLines.push(n);
      } else {
        lines.push(openid(i));
        expectValid++;
      }
    }
    // The line before a duplicate may itself have been blank/invalid: count what is really duplicated.
    const seen = new Set<string>();
    let dups = 0;
    let valid = 0;
    for (const l of lines) {
      if (!/^[A-Za-z0-9_-]{28}$/.test(l)) continue;
      if (seen.has(l)) dups++;
      else {
        seen.add(l);
        valid++;
      }
    }
    expect(valid).toBeGreaterThan(expectValid - 200);
    const text = "\uFEFF" + lines.join("\r\n") + "\r\n";
    const res = await createAudienceList(t.handle.db, actor, "acc1", "list A", chunks(text));
    if ("error" in res) throw new Error("unexpected");
    const r = res.report;
    expect(r.linesRead).toBe(12_345);
    expect(r.blank).toBe(123);
    expect(r.invalid).toBe(invalidLines.length);
    expect(r.duplicates).toBe(dups);
    expect(r.valid).toBe(valid);
    expect(r.valid + r.invalid + r.blank + r.duplicates).toBe(12_345);
    expect(r.invalidSamples.slice(0, 3).map((s) => s.line)).toEqual(invalidLines.slice(0, 3));
    expect(r.requests).toBe(Math.ceil(valid / 10_000));

    const [l] = await t.handle.db.select().from(audienceLists).where(eq(audienceLists.id, res.listId));
    expect(l.status).toBe("ready");
    expect(l.validCount).toBe(valid);
    const ids = [...seen];
    expect(await readListRange(t.handle.db, res.listId, 0, 3)).toEqual(ids.slice(0, 3));
    expect(await readListRange(t.handle.db, res.listId, 9_998, 5)).toEqual(ids.slice(9_998, 10_003));
    expect(await readListRange(t.handle.db, res.listId, valid - 2, 10)).toEqual(ids.slice(valid - 2));
  });

  it("an upload's size (Content-Length) only sizes the set: right, too small, far too large or absurd, the list is the same", async () => {
    // 30 000 lines with every 7th a repeat of an earlier one, so the set sees hits and misses.
    const lines = Array.from({ length: 30_000 }, (_, i) => (i % 7 === 6 ? openid(i - 5) : openid(i)));
    const text = lines.join("\n") + "\n";
    const bytes = Buffer.byteLength(text);
    const outcomes = [];
    for (const sizeHint of [undefined, bytes, 64, bytes * 1000, Number.NaN, -5]) {
      const res = await createAudienceList(t.handle.db, actor, "acc1", `hint ${sizeHint}`, chunks(text, 65_536), { sizeHint });
      if ("error" in res) throw new Error("unexpected");
      outcomes.push({ report: res.report, members: await readListRange(t.handle.db, res.listId, 0, 30_000) });
    }
    const distinct = [...new Set(lines)];
    for (const o of outcomes) {
      expect(o.report).toEqual(outcomes[0].report);
      expect(o.members).toEqual(distinct);
    }
    expect(outcomes[0].report).toMatchObject({ linesRead: 30_000, valid: distinct.length, duplicates: 30_000 - distinct.length });
  });

  it("reads a CSV column chosen by header, with quotes and other columns", async () => {
    const rows = ["name,OpenID,city", `"Wang, Li",${openid(1)},上海`, `Zhao,${openid(2)},北京`, `Qian,"${openid(1)}",杭州`, `Sun,bad,广州`];
    const res = await createAudienceList(t.handle.db, actor, "acc1", "csv", chunks(rows.join("\n"), 7), { column: "openid" });
    if ("error" in res) throw new Error("unexpected");
    expect(res.report).toMatchObject({ linesRead: 4, valid: 2, duplicates: 1, invalid: 1, column: "OpenID" });
    expect(res.report.invalidSamples).toEqual([{ line: 5, value: "bad" }]);
  });

  it("names the headers when the chosen column is missing, and keeps no members", async () => {
    const res = await createAudienceList(t.handle.db, actor, "acc1", "csv2", chunks(`a,b\n${openid(3)},x\n`), { column: "openid" });
    expect(res).toMatchObject({ error: "column", headers: ["a", "b"] });
    const [l] = await t.handle.db.select().from(audienceLists).where(eq(audienceLists.id, res.listId));
    expect(l.status).toBe("failed");
  });
});

it("the compact OpenID set agrees with a Set of strings, across several arena pages and table growths", () => {
  const s = new OpenIdSet(4);
  const ref = new Set<string>();
  // 200 000 values: more than three pages of 65 536, and the table grows from 1 024 slots.
  for (let i = 0; i < 200_000; i++) {
    const id = i % 3 === 0 ? openid(i >> 1) : randomBytes(21).toString("base64url");
    const expected = ref.has(id) ? 0 : 1;
    ref.add(id);
    expect(s.add(id)).toBe(expected);
  }
  expect(s.size).toBe(ref.size);
  // Everything added earlier is still found after the growths (the first page too).
  for (let i = 0; i < 200_000; i += 3 * 331) expect(s.add(openid(i >> 1))).toBe(0);
  expect(s.add("short")).toBe(-1);
  expect(s.add("o".repeat(27) + "!")).toBe(-1);
});
