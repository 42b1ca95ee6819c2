import { expect, test, type Page } from "@playwright/test";
import { sandboxAccount, signInAsAdmin, withoutApproval } from "./fixtures";

test.describe.configure({ mode: "serial" });

const submitted = async (page: Page) => {
  const text = await page.getByText(/已提交 \d+ \/ \d+ 个请求/).innerText();
  const m = /已提交 (\d+) \/ (\d+)/.exec(text)!;
  return { done: Number(m[1]), total: Number(m[2]) };
};

test("a sending campaign is paused, submits nothing while paused, and finishes after resuming", async ({ page }) => {
  test.setTimeout(150_000);
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await withoutApproval(page, accountId);

  // 100 001 distinct OpenIDs: 11 requests (9 × 10 000 + 5 001 + 5 000), one a second at the
  // sandbox's 60 a minute, so the campaign is still sending when the pause is clicked.
  const ids = Array.from({ length: 100_001 }, (_, i) => "p" + i.toString(36).padStart(27, "0"));
  await page.goto(`/${accountId}/audiences`);
  await page.getByLabel("名单名称").fill("暂停测试名单");
  await page.getByLabel("文件（CSV 或 TXT）").setInputFiles({ name: "openids.txt", mimeType: "text/plain", buffer: Buffer.from(ids.join("\n")) });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("import-report")).toContainText("有效 100001 个");
  await expect(page.getByTestId("import-report")).toContainText("需要 11 个请求");

  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("暂停与继续");
  await page.getByLabel("文本内容").fill("会员日提醒：今晚八点开始。");
  await page.getByRole("radio", { name: "OpenID 名单" }).check();
  await page.getByRole("combobox", { name: "OpenID 名单" }).selectOption({ label: "暂停测试名单（100001 个 OpenID）" });
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));

  await page.getByRole("button", { name: "立即发送" }).click();
  await page.getByRole("button", { name: "确认发送" }).click();
  await expect(page.getByText(/已提交 [1-9]\d* \/ 11 个请求/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "暂停" }).click();
  await expect(page.getByRole("button", { name: "继续" })).toBeVisible({ timeout: 15_000 });

  // A request already on its way when the pause came may still finish; after that, nothing.
  await page.waitForTimeout(2_000);
  await page.reload();
  const paused = await submitted(page);
  expect(paused.total).toBe(11);
  expect(paused.done).toBeLessThan(11);
  // While paused the page still polls its progress, once every 1.5 s from one poller: in 4 s that
  // is at most 3 requests (two pollers, as the page once had, made 4 or more).
  const polls: number[] = [];
  const onRequest = (r: { url(): string; method(): string }) => {
    if (r.method() === "GET" && new URL(r.url()).pathname.endsWith("/progress")) polls.push(Date.now());
  };
  page.on("request", onRequest);
  await page.waitForTimeout(4_000);
  page.off("request", onRequest);
  expect(polls.length).toBeLessThanOrEqual(3);
  await page.reload();
  expect((await submitted(page)).done).toBe(paused.done);
  await expect(page.getByRole("button", { name: "继续" })).toBeVisible();

  await page.getByRole("button", { name: "继续" }).click();
  await expect(page.getByText("已提交 11 / 11 个请求")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText("已完成").first()).toBeVisible({ timeout: 60_000 });
});
