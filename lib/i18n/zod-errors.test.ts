import { describe, expect, it } from "vitest";
import { validateForWeChat } from "@/lib/news/news-service";
import { emptyArticle } from "@/lib/news/schemas";
import { zodErrorMap, zodIssueText } from "./zod-errors";
import { passwordSchema } from "@/lib/users/schemas";
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

describe("a too-short password", () => {
  it("says what is wrong with what was typed, not the rule the hint already states", () => {
    const msg = (v: string, locale: "zh-CN" | "en") => passwordSchema.safeParse(v, { error: zodErrorMap(locale) } as never).error?.issues[0].message;
    expect(msg("short", "zh-CN")).toBe("只输入了 5 个字符，还差 5 个");
    expect(msg("short", "en")).toBe("Only 5 characters typed; 5 more needed");
    expect(msg("", "zh-CN")).toBe("必填");
    expect(msg("short", "zh-CN")).not.toContain("至少 10 个字符");
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
