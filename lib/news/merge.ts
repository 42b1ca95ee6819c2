import type { ArticleValues } from "./schemas";

/** The fields of an article one person edits (the key is its identity, never merged). */
export const MERGED_FIELDS = [
  "title",
  "author",
  "digest",
  "coverId",
  "showCoverPic",
  "content",
  "contentSourceUrl",
  "needOpenComment",
  "onlyFansCanComment",
] as const;
export type MergedField = (typeof MERGED_FIELDS)[number];

/** A field both sides changed differently: this side's value is kept, the other's is handed back to be shown. */
export interface MergeClash {
  key: string;
  field: MergedField | "removed";
  theirs: ArticleValues[MergedField] | null;
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);
const byKey = (list: readonly ArticleValues[]) => new Map(list.map((a) => [a.key, a]));
const changed = (a: ArticleValues, base: ArticleValues) => MERGED_FIELDS.some((f) => !same(a[f], base[f]));

/**
 * Three-way merge of a news draft, article by article (by key, never by position) and field by
 * field: what only one side changed is taken from that side; what both changed to different values
 * keeps `mine` and is reported as a clash with `theirs`' value, so the editor can show it and
 * nothing typed on either side is lost. An article one side removed stays when the other side
 * edited it. The order is mine when I reordered, else theirs; articles added on either side stay.
 */
export function mergeArticles(
  base: readonly ArticleValues[],
  mine: readonly ArticleValues[],
  theirs: readonly ArticleValues[],
): { articles: ArticleValues[]; clashes: MergeClash[] } {
  const b = byKey(base);
  const m = byKey(mine);
  const t = byKey(theirs);
  const clashes: MergeClash[] = [];
  const keep = (key: string): boolean => {
    const inM = m.get(key);
    const inT = t.get(key);
    const inB = b.get(key);
    if (inM && inT) return true;
    if (!inB) return true; // added on one side
    if (inM) {
      // They removed it: kept only if I edited it (and said so).
      if (!changed(inM, inB)) return false;
      clashes.push({ key, field: "removed", theirs: null });
      return true;
    }
    // I removed it: kept only if they edited it.
    return !!inT && changed(inT, inB);
  };
  const baseOrder = base.map((a) => a.key);
  const relative = (list: readonly ArticleValues[]) => list.map((a) => a.key).filter((k) => b.has(k));
  const reordered = relative(mine).join("\u0000") !== baseOrder.filter((k) => m.has(k)).join("\u0000");
  const [first, second] = reordered ? [mine, theirs] : [theirs, mine];
  const order: string[] = [];
  for (const a of first) if (keep(a.key)) order.push(a.key);
  // The other side's articles not placed yet go right after the one they followed there.
  second.forEach((a, i) => {
    if (order.includes(a.key) || !keep(a.key)) return;
    const prev = i > 0 ? order.indexOf(second[i - 1].key) : -1;
    order.splice(prev + 1, 0, a.key);
  });

  const articles = order.map((key) => {
    const mm = m.get(key);
    const tt = t.get(key);
    if (!mm || !tt) return { ...(mm ?? tt)! };
    const bb = b.get(key);
    const out = { ...mm };
    for (const f of MERGED_FIELDS) {
      if (same(mm[f], tt[f])) continue;
      if (bb && same(mm[f], bb[f])) (out as Record<string, unknown>)[f] = tt[f];
      else if (bb && same(tt[f], bb[f])) continue;
      else clashes.push({ key, field: f, theirs: tt[f] ?? null });
    }
    return out;
  });
  return { articles, clashes };
}
