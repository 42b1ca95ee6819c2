import { describe, expect, it } from "vitest";
import { labelFor, leafErrors } from "@/components/forms/use-server-form";

// The compose form's save once did nothing: the reprint choice's error had no place on the page.
// leafErrors lists every error with its path, so the form can say what it could not place.
describe("leafErrors", () => {
  it("lists nested, array and root errors with dotted paths, and ignores refs", () => {
    const errors = {
      name: { type: "too_small", message: "required", ref: { name: "name" } },
      sendIgnoreReprint: { type: "invalid_union", message: "Invalid input", ref: {} },
      message: { type: { type: "invalid_value", message: "bad type" }, newsVersion: { type: "too_small", message: "min 1" } },
      articles: { root: { type: "too_big", message: "rule.articlesMax" }, 1: { title: { type: "too_small", message: "empty" } } },
    };
    expect(leafErrors(errors)).toEqual([
      { path: "name", message: "required" },
      { path: "sendIgnoreReprint", message: "Invalid input" },
      { path: "message.type", message: "bad type" },
      { path: "message.newsVersion", message: "min 1" },
      { path: "articles.1.title", message: "empty" },
      { path: "articles", message: "rule.articlesMax" },
    ]);
    expect(leafErrors({})).toEqual([]);
    expect(leafErrors(undefined)).toEqual([]);
  });
});

// The form-level message names a field in the reader's words, never by its path (`articles.0.title`).
describe("labelFor", () => {
  const labels = { name: "名称", "audience.tagId": "标签", "articles.#.title": ([i]: number[]) => `第 ${i + 1} 篇文章的标题` };
  it("finds a plain path, and a path in a list with its position", () => {
    expect(labelFor(labels, "name")).toBe("名称");
    expect(labelFor(labels, "audience.tagId")).toBe("标签");
    expect(labelFor(labels, "articles.0.title")).toBe("第 1 篇文章的标题");
    expect(labelFor(labels, "articles.7.title")).toBe("第 8 篇文章的标题");
  });
  it("says when the form has no label for the path", () => {
    expect(labelFor(labels, "articles.0.author")).toBeNull();
    expect(labelFor({}, "name")).toBeNull();
  });
});
