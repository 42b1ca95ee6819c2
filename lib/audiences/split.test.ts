import { describe, expect, it } from "vitest";
import { splitRanges, splitSizes } from "./split";

describe("splitting an OpenID list into requests of 2–10 000", () => {
  it.each([
    [1, []],
    [2, [2]],
    [10_000, [10_000]],
    [10_001, [5_001, 5_000]],
    [20_001, [6_667, 6_667, 6_667]],
  ])("%i OpenIDs → %j", (n, sizes) => {
    expect(splitSizes(n)).toEqual(sizes);
  });

  it("5 000 000 OpenIDs → 500 requests of 10 000", () => {
    const s = splitSizes(5_000_000);
    expect(s.length).toBe(500);
    expect(new Set(s)).toEqual(new Set([10_000]));
  });

  it("never makes a request outside 2..10 000, covers every OpenID once, in as few requests as possible", () => {
    for (const n of [2, 3, 9_999, 10_000, 10_001, 10_002, 19_999, 20_000, 20_001, 30_001, 99_999, 123_457, 1_000_000, 1_000_001]) {
      const ranges = splitRanges(n);
      expect(ranges.length).toBe(Math.ceil(n / 10_000));
      let next = 0;
      for (const r of ranges) {
        expect(r.from).toBe(next);
        expect(r.count).toBeGreaterThanOrEqual(2);
        expect(r.count).toBeLessThanOrEqual(10_000);
        next += r.count;
      }
      expect(next).toBe(n);
    }
  });

  it("refuses what cannot be sent by list", () => {
    expect(splitSizes(0)).toEqual([]);
    expect(splitSizes(-3)).toEqual([]);
    expect(splitSizes(2.5)).toEqual([]);
  });
});
