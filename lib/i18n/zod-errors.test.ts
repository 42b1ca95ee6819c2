import { describe, expect, it } from "vitest";
import { validateForWeChat } from "@/lib/news/news-service";
import { emptyArticle } from "@/lib/news/schemas";
import { zodIssueText } from "./zod-errors";
import { refusedHistoryDays, historyFilterSchema } from "@/lib/history/filters";

describe("a news refusal at preview or send speaks the person's language", () => {
  it("a too-long title says 最多 64 个字符 in Chinese and names the limit in English, never zod's English default", () => {
    const article = { ...emptyArticle(), title: "长".repeat(70), content: "<p>正文</p>", coverId: "m1" };
    const issues = validateForWeChat([article]);
    const title = issues.find((i) => i.path.join(".") === "articles.0.title");
    expect(title?.zod).toBeTruthy();
    expect(zodIssueText(title!.zod!, "zh-CN")).toBe("最多 64 个字符");
    expect(zodIssueText(title!.zod!, "en")).toBe("At most 64 characters");
    expect(zodIssueText(title!.zod!, "zh-CN")).not.toMatch(/Too big|expected/);
  });
});

describe("history date filters", () => {
  it("refuses a day that is no calendar day, naming the field and the value, instead of failing", () => {
    expect(refusedHistoryDays({ from: "2020-13-45" })).toEqual([{ field: "from", value: "2020-13-45" }]);
    expect(refusedHistoryDays({ from: "2026-12-01", to: "2026-02-30" })).toEqual([{ field: "to", value: "2026-02-30" }]);
    expect(refusedHistoryDays({ from: "2026-12-01", to: "" })).toEqual([]);
    const f = historyFilterSchema.parse({ from: "2020-13-45", to: "2026-12-03" });
    expect(f.from).toBeUndefined();
    expect(f.to).toBe("2026-12-03");
  });
});
