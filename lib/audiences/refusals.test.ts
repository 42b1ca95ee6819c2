import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { audienceListChunks, audienceLists, user, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { openid } from "@/test/support/openids";
import { MAX_LINE } from "./import";
import { createAudienceList, listAudienceLists } from "./lists";

async function* chunksOf(buf: Buffer, size = 65_536) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

/** A pseudo-random byte source (deterministic, so a failure reproduces). */
function noise(n: number, seed = 7) {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

describeEachDriver("OpenID list refusals and bounds", (driver) => {
  let t: TestDb;
  const actor = { id: "u1", email: "a@x.test" };
  const db = () => t.handle.db;
  beforeAll(async () => {
    t = await createTestDb(driver);
    await db().insert(user).values({ id: "u1", name: "A", email: "a@x.test", role: "admin" });
    await db().insert(wechatAccounts).values({ id: "acc1", name: "A", appid: "wx1234567890abcdef", type: "service", appSecretEnc: "x", callbackTokenEnc: "x" });
  });
  afterAll(async () => t?.dispose());

  const stored = async (listId: string) => ({
    lists: (await db().select().from(audienceLists).where(eq(audienceLists.id, listId))).length,
    chunks: (await db().select({ n: audienceListChunks.seq }).from(audienceListChunks).where(eq(audienceListChunks.listId, listId))).length,
  });

  it("a 64 MB line without a line end is read in linear time (bounded by a 64 MB file of ordinary lines) and is one invalid line", async () => {
    const size = 64 * 1024 * 1024;
    // Ordinary lines: 28-character OpenIDs, cycling through a few so the work is the parsing, not the storing.
    const line = Array.from({ length: 1000 }, (_, i) => openid(i)).join("\n") + "\n";
    const normal = Buffer.from(line.repeat(Math.ceil(size / line.length))).subarray(0, size - (size % 29));
    let t0 = performance.now();
    const a = await createAudienceList(db(), actor, "acc1", "normal", chunksOf(normal));
    const normalMs = performance.now() - t0;
    expect(a).toMatchObject({ report: { valid: 1000 } });

    const single = Buffer.alloc(size, "A");
    t0 = performance.now();
    const b = await createAudienceList(db(), actor, "acc1", "one line", chunksOf(single));
    const singleMs = performance.now() - t0;
    // One line, invalid (too long): the list is refused for having no valid OpenID, its line counted as invalid.
    expect(b).toMatchObject({ error: "refused", refusal: { code: "tooFew", valid: 0 }, report: { linesRead: 1, invalid: 1, valid: 0 } });
    if ("report" in b && b.report) expect(b.report.invalidSamples[0].value.length).toBeLessThanOrEqual(60);
    console.log(`64 MB: ordinary lines ${normalMs.toFixed(0)} ms, one line ${singleMs.toFixed(0)} ms`);
    expect(singleMs).toBeLessThan(normalMs * 2 + 500);
  }, 180_000);

  it("a line longer than the bound is invalid even when other lines are fine, and a line at the bound is judged normally", async () => {
    const text = [openid(1), "x".repeat(MAX_LINE + 1), openid(2), " ".repeat(MAX_LINE - 28) + openid(3)].join("\n");
    const r = await createAudienceList(db(), actor, "acc1", "long", chunksOf(Buffer.from(text), 100));
    expect(r).toMatchObject({ report: { linesRead: 4, valid: 3, invalid: 1, invalidSamples: [{ line: 2 }] } });
  });

  it("a list past the cap is refused, reading stops there, and nothing is kept", async () => {
    let pulled = 0;
    async function* endless() {
      for (let i = 0; ; i++) {
        pulled++;
        yield openid(i) + "\n";
      }
    }
    const r = await createAudienceList(db(), actor, "acc1", "too many", endless(), { maxList: 5_000 });
    expect(r).toMatchObject({ error: "refused", refusal: { code: "tooMany", max: 5_000 } });
    // The source was read up to one OpenID past the cap (plus what the first look at the file took), not on.
    expect(pulled).toBeLessThan(5_100);
    expect(await stored(r.listId)).toEqual({ lists: 0, chunks: 0 });
  });

  it("at the cap exactly, the list is kept", async () => {
    const text = Array.from({ length: 3_000 }, (_, i) => openid(i)).join("\n");
    const r = await createAudienceList(db(), actor, "acc1", "at cap", chunksOf(Buffer.from(text)), { maxList: 3_000 });
    expect(r).toMatchObject({ report: { valid: 3_000 } });
  });

  it.each([
    ["empty", ""],
    ["one OpenID", openid(1) + "\n"],
    ["one OpenID, twice", `${openid(1)}\n${openid(1)}\n`],
    ["header and one OpenID", `openid\n${openid(2)}`],
    ["CSV with one OpenID", `openid,name\n${openid(3)},Li\n`],
  ])("%s: refused (WeChat's openid send needs 2 or more), nothing stored, not selectable", async (_label, text) => {
    const r = await createAudienceList(db(), actor, "acc1", `few ${_label}`, chunksOf(Buffer.from(text)));
    expect(r).toMatchObject({ error: "refused", refusal: { code: "tooFew" } });
    expect(await stored(r.listId)).toEqual({ lists: 0, chunks: 0 });
    expect((await listAudienceLists(db(), "acc1")).map((l) => l.name)).not.toContain(`few ${_label}`);
  });

  it("two OpenIDs are enough", async () => {
    const r = await createAudienceList(db(), actor, "acc1", "two", chunksOf(Buffer.from(`${openid(1)}\n${openid(2)}\n`)));
    expect(r).toMatchObject({ report: { valid: 2, requests: 1 } });
  });

  it("a UTF-16LE file (with its byte order mark) is refused with how to save it, not a server error", async () => {
    const text = "\uFEFF" + Array.from({ length: 10 }, (_, i) => openid(i)).join("\r\n");
    const r = await createAudienceList(db(), actor, "acc1", "utf16", chunksOf(Buffer.from(text, "utf16le")));
    expect(r).toMatchObject({ error: "refused", refusal: { code: "utf16" } });
    expect(await stored(r.listId)).toEqual({ lists: 0, chunks: 0 });
  });

  it("UTF-16LE without a mark, and binary noise, are invalid lines (samples stored without NUL), never a failure", async () => {
    const utf16 = Buffer.from(Array.from({ length: 10 }, (_, i) => openid(i)).join("\n"), "utf16le");
    const a = await createAudienceList(db(), actor, "acc1", "utf16 no bom", chunksOf(utf16));
    expect(a).toMatchObject({ error: "refused", refusal: { code: "tooFew", valid: 0 } });
    if ("report" in a && a.report) {
      expect(a.report.invalid).toBeGreaterThan(0);
      expect(a.report.invalidSamples.every((s) => !s.value.includes("\u0000"))).toBe(true);
    }
    // Noise between good lines: the good ones are kept, the noise is reported (and its samples are
    // stored in jsonb, which refuses NUL).
    for (const seed of [1, 2, 3]) {
      const mixed = Buffer.concat([Buffer.from(`${openid(1)}\n${openid(2)}\n`), noise(200_000, seed), Buffer.from(`\n${openid(3)}\n`)]);
      const r = await createAudienceList(db(), actor, "acc1", `noise ${seed}`, chunksOf(mixed));
      if ("error" in r) throw new Error(`refused: ${JSON.stringify(r)}`);
      expect(r.report.valid).toBeGreaterThanOrEqual(2);
      expect(r.report.invalid).toBeGreaterThan(0);
      const [l] = await db().select().from(audienceLists).where(eq(audienceLists.id, r.listId));
      expect(l.status).toBe("ready");
      expect(JSON.stringify(l.invalidSamples)).not.toContain("\\u0000");
    }
    // The same noise after a CSV header goes through the CSV parser: kept, or refused as a whole
    // (an unclosed quote), but never a server error.
    for (const seed of [4, 5]) {
      const csv = Buffer.concat([Buffer.from(`openid,name\n${openid(1)},a\n${openid(2)},b\n`), noise(200_000, seed)]);
      const r = await createAudienceList(db(), actor, "acc1", `csv noise ${seed}`, chunksOf(csv));
      if ("error" in r) expect(r).toMatchObject({ error: "refused", refusal: { code: expect.stringMatching(/^(malformedCsv|longRow)$/) } });
      else expect(r.report.valid).toBeGreaterThanOrEqual(2);
    }
  });
});
