import { describe, expect, it } from "vitest";
import { mergeArticles } from "./merge";
import type { ArticleValues } from "./schemas";

const art = (key: string, over: Partial<ArticleValues> = {}): ArticleValues => ({
  key,
  title: `T${key}`,
  author: `A${key}`,
  digest: `D${key}`,
  coverId: null,
  showCoverPic: false,
  content: `<p>${key}</p>`,
  contentSourceUrl: "",
  needOpenComment: false,
  onlyFansCanComment: false,
  ...over,
});
const base = [art("a"), art("b"), art("c")];

// Two tabs on one draft: the second save was refused; merging must keep what each side typed.
describe("mergeArticles", () => {
  it("takes each side's edits to different articles and fields", () => {
    const mine = [art("a"), art("b"), art("c", { author: "mine" })];
    const theirs = [art("a", { title: "theirs" }), art("b"), art("c", { digest: "theirs" })];
    const r = mergeArticles(base, mine, theirs);
    expect(r.clashes).toEqual([]);
    expect(r.articles).toEqual([art("a", { title: "theirs" }), art("b"), art("c", { author: "mine", digest: "theirs" })]);
  });
  it("keeps mine where both changed one field, and hands theirs back", () => {
    const r = mergeArticles(base, [art("a", { digest: "mine" }), art("b"), art("c")], [art("a", { digest: "theirs" }), art("b"), art("c")]);
    expect(r.articles[0].digest).toBe("mine");
    expect(r.clashes).toEqual([{ key: "a", field: "digest", theirs: "theirs" }]);
  });
  // Their new article "t" followed "c" there, so it follows "c" here too.
  it("follows the order of whoever reordered, and keeps articles added on either side", () => {
    const mine = [art("c"), art("a"), art("b"), art("m")];
    const theirs = [art("a"), art("b"), art("c"), art("t")];
    expect(mergeArticles(base, mine, theirs).articles.map((a) => a.key)).toEqual(["c", "t", "a", "b", "m"]);
    expect(mergeArticles(base, [art("a"), art("b"), art("c")], [art("b"), art("a"), art("c")]).articles.map((a) => a.key)).toEqual(["b", "a", "c"]);
  });
  it("a removal wins over an untouched article, not over an edited one", () => {
    expect(mergeArticles(base, [art("a"), art("c")], [art("a"), art("b"), art("c")]).articles.map((a) => a.key)).toEqual(["a", "c"]);
    expect(mergeArticles(base, [art("a"), art("c")], [art("a"), art("b", { title: "kept" }), art("c")]).articles.map((a) => a.title)).toEqual([
      "Ta",
      "kept",
      "Tc",
    ]);
    const r = mergeArticles(base, [art("a"), art("b", { title: "mine" }), art("c")], [art("a"), art("c")]);
    expect(r.articles.map((a) => a.key)).toEqual(["a", "b", "c"]);
    expect(r.clashes).toEqual([{ key: "b", field: "removed", theirs: null }]);
  });
});
