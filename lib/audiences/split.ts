/** WeChat's message/mass/send takes 2 to 10 000 OpenIDs per request. */
const MIN_PER_REQUEST = 2;
const MAX_PER_REQUEST = 10_000;

/**
 * Sizes of the requests for n OpenIDs: as few requests as possible, as equal as possible, so no
 * request is ever of one (10 001 → 5 001 + 5 000; 20 001 → 6 667 × 3). n < 2 cannot be sent by
 * OpenID list at all.
 */
export function splitSizes(n: number): number[] {
  if (!Number.isInteger(n) || n < MIN_PER_REQUEST) return [];
  const k = Math.ceil(n / MAX_PER_REQUEST);
  const base = Math.floor(n / k);
  const extra = n - base * k;
  return Array.from({ length: k }, (_, i) => base + (i < extra ? 1 : 0));
}

/** [from, count] ranges over the list's order. */
export function splitRanges(n: number): { from: number; count: number }[] {
  let from = 0;
  return splitSizes(n).map((count) => {
    const r = { from, count };
    from += count;
    return r;
  });
}
