import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { expectAccessible, sandboxAccount, signInAsAdmin, withoutApproval } from "./fixtures";

test.describe.configure({ mode: "serial" });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-e2e-history-"));
let coverPng = "";
test.beforeAll(async () => {
  coverPng = path.join(dir, "history-cover.png");
  fs.writeFileSync(
    coverPng,
    await sharp({ create: { width: 360, height: 200, channels: 3, background: "#2a7" } })
      .png()
      .toBuffer(),
  );
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A news draft made in the editor: each article with a title, a cover and some text. */
async function newsDraft(page: Page, accountId: string, titles: string[]) {
  await page.goto(`/${accountId}/news`);
  await page.getByRole("button", { name: "新建图文" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));
  for (const [i, title] of titles.entries()) {
    if (i > 0) await page.getByRole("button", { name: "添加文章" }).click();
    await page.getByLabel("标题（必填）").fill(title);
    if (i === 0) await page.getByTestId("cover-file").setInputFiles(coverPng);
    else {
      await page.getByRole("button", { name: "从素材库选择" }).click();
      await page
        .getByRole("dialog", { name: "选择封面" })
        .getByRole("button", { name: /history-cover/ })
        .first()
        .click();
    }
    await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
    await page.getByTestId("content-editor").click();
    await page.keyboard.type(`${title}：正文。`);
  }
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });
}

/** A news campaign to a tag, picked in the compose form's news picker, sent and finished. */
async function sendNews(page: Page, accountId: string, name: string, firstTitle: string, tagId: string) {
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill(name);
  await page.getByLabel("消息类型").selectOption("mpnews");
  await page
    .getByRole("radio", { name: new RegExp(firstTitle) })
    .first()
    .check();
  await expect(page.locator(`#audience-tagId option[value="${tagId}"]`)).toHaveCount(1);
  await page.getByLabel("标签", { exact: true }).selectOption(tagId);
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  const id = page.url().split("/").pop()!;
  await page.getByRole("button", { name: "立即发送" }).click();
  await page.getByRole("button", { name: "确认发送" }).click();
  await expect(page.getByText("已完成").first()).toBeVisible({ timeout: 45_000 });
  return id;
}

test("two news campaigns: found by article title and by filter, reviewed, one article deleted, exported, and seen across accounts", async ({ page }) => {
  test.setTimeout(240_000);
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await withoutApproval(page, accountId);
  await newsDraft(page, accountId, ["秋日上新：三款新品", "秋日上新：购买指南"]);
  await newsDraft(page, accountId, ["冬季清仓预告"]);
  const autumn = await sendNews(page, accountId, "秋日上新推送", "秋日上新：三款新品", "110");
  const winter = await sendNews(page, accountId, "冬季清仓推送", "冬季清仓预告", "110");
  // The second send to the same tag is compared with the first (and any before it).
  await expect(page.getByRole("figure").filter({ hasText: /与此前发给同一对象的 \d+ 次群发比较/ })).toHaveCount(1);
  await expect(page.getByTestId("chat-bubble")).toHaveCount(0);
  expect(winter).not.toBe(autumn);
  // The campaign's activity is in words: the pipeline's own steps too, never an action code.
  await page.reload();
  const activity = page.getByTestId("audit-row");
  await expect(activity.filter({ hasText: "全部请求已提交给微信" })).toHaveCount(1);
  await expect(activity.filter({ hasText: /\b(campaign|user|news|media)\.[a-z-]+/ })).toHaveCount(0);

  // Found by the second article's title, and by a filter (type: news) that leaves the text sends out.
  await page.goto(`/${accountId}/history`);
  await page.getByLabel("搜索").fill("购买指南");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByRole("link", { name: "秋日上新推送" })).toBeVisible();
  await expect(page.getByRole("link", { name: "冬季清仓推送" })).toHaveCount(0);
  // Other specs send news campaigns on this account too: the name search keeps this spec's two.
  await page.getByLabel("搜索").fill("推送");
  await page.getByRole("button", { name: "搜索" }).click();
  await page.getByLabel("消息类型").selectOption("mpnews");
  await expect(page).toHaveURL(/type=mpnews/);
  await expect(page.getByRole("link", { name: "冬季清仓推送" })).toBeVisible();
  await expect(page.getByRole("link", { name: "秋日上新推送" })).toBeVisible();
  await expect(page.getByRole("link", { name: "双十一预热" })).toHaveCount(0);
  await page.getByLabel("排序").selectOption("name");
  await expect(page).toHaveURL(/sort=name/);
  await expect(page.getByTestId("history-row")).toHaveCount(2);
  await expectAccessible(page);

  // CSV of the filtered list: the two news campaigns, with their first titles.
  const csv = await page.request.get(`/${accountId}/history/export?type=mpnews&sort=name&q=${encodeURIComponent("推送")}`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const rows = (await csv.text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r\n/);
  // Headers and values in the reader's language, every cell quoted.
  const cells = (r: string) => r.split(",").map((c) => c.replace(/^"|"$/g, ""));
  expect(cells(rows[0]).slice(0, 5)).toEqual(["编号", "公众号", "名称", "标题", "消息类型"]);
  expect(rows.length).toBe(3);
  expect(
    rows
      .slice(1)
      .map((r) => cells(r)[2])
      .sort(),
  ).toEqual(["冬季清仓推送", "秋日上新推送"]);
  const autumnRow = rows.find((r) => cells(r)[0] === autumn)!;
  expect(autumnRow).toContain("秋日上新：三款新品");
  expect(autumnRow).toContain(`,"图文","标签","测试组",`);
  expect(autumnRow).toContain(`,"已完成",`);

  // The campaign: counts, the phone as the follower saw it, article URLs with titles, audit trail.
  await page.getByRole("link", { name: "秋日上新推送" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/${autumn}$`));
  const sent = Number(await page.getByTestId("count-sent").innerText());
  expect(sent).toBeGreaterThan(0);
  await expect(page.getByTestId("count-total")).not.toHaveText("—");
  const phone = page.getByTestId("phone-preview");
  await expect(phone.getByTestId("preview-article")).toHaveText([/秋日上新：三款新品/, /秋日上新：购买指南/]);
  const links = page.getByRole("link", { name: /^第 \d 篇 · / });
  await expect(links).toHaveCount(2);
  const second = await page.getByRole("link", { name: "第 2 篇 · 秋日上新：购买指南" }).getAttribute("href");
  expect(second).toMatch(/\/sandbox-api\/s\/\d+\/2$/);
  expect((await page.request.get(second!)).status()).toBe(200);
  await expect(page.getByTestId("audit-row").filter({ hasText: "campaign.send" })).toHaveCount(1);
  await expect(page.getByTestId("campaign-audience")).toContainText("测试组");
  await expectAccessible(page);

  // Delete the second article: the choice and the confirmation name it.
  await page.getByLabel("删除范围").selectOption({ label: "第 2 篇：秋日上新：购买指南" });
  await page.getByRole("button", { name: "删除已发送的消息" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("delete-target")).toHaveText("第 2 篇：秋日上新：购买指南");
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "确认删除" }).click();
  await expect(page.getByText("已删除").first()).toBeVisible();
  await expect(page.getByTestId("wechat-status-1")).toContainText("已删除第 2 篇");
  await expect(page.getByRole("listitem").filter({ hasText: "第 2 篇 · 秋日上新：购买指南" })).toContainText("已删除");
  expect((await page.request.get(second!)).status()).toBe(410);
  await expect(page.locator("#delete-idx option", { hasText: "秋日上新：购买指南" })).toBeDisabled();
  // The batch's own status refresh: WeChat still reports the message (one article went, not all).
  await page.getByRole("button", { name: "刷新第 1 批的状态" }).click();
  await expect(page.getByTestId("wechat-status-1")).toContainText("已发送完毕");
  await expect(page.getByTestId("batch-1").getByTestId("technical-details")).toContainText("SEND_SUCCESS");
  await expect(page.getByTestId("audit-row").filter({ hasText: "campaign.delete-sent" })).toContainText('"articleIdx":2');

  // Duplicate as a new draft: it opens, editable, with the same news.
  await page.getByRole("button", { name: "复制为新草稿" }).click();
  await page.waitForURL((u) => /\/campaigns\/c[0-9a-f]+$/.test(u.pathname) && !u.pathname.endsWith(autumn));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("秋日上新推送（副本）");
  await expect(page.getByText("草稿", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("audit-row").filter({ hasText: "campaign.duplicate" })).toContainText(autumn);

  // Across accounts (admin): the account column and filter, and the CSV.
  await page.goto("/admin/history?type=mpnews");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("全部公众号的群发历史");
  await expect(page.getByRole("columnheader", { name: "公众号" })).toBeVisible();
  await expect(page.getByRole("link", { name: "秋日上新推送", exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("公众号", { exact: true }).selectOption({ label: "群发沙箱订阅号" });
  await expect(page).toHaveURL(/account=/);
  await expect(page.getByRole("link", { name: "秋日上新推送", exact: true })).toHaveCount(0);
  await page.getByLabel("公众号", { exact: true }).selectOption({ label: "群发沙箱服务号" });
  await expect(page.getByRole("link", { name: "冬季清仓推送" })).toBeVisible();
  const all = await page.request.get(`/admin/history/export?type=mpnews&state=finished&account=${accountId}&q=${encodeURIComponent("推送")}`);
  const allRows = (await all.text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r\n/);
  expect(allRows.length).toBe(3);
  expect(
    allRows
      .slice(1)
      .map((r) => cells(r)[2])
      .sort(),
  ).toEqual(["冬季清仓推送", "秋日上新推送"]);
  expect(allRows.slice(1).every((r) => cells(r)[1] === "群发沙箱服务号")).toBe(true);
});
