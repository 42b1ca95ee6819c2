import { expect, test } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { confirmOwnWechatId, expectAccessible, sandboxAccount, signInAsAdmin, submitAndExpectOutcome, withoutApproval } from "./fixtures";

test.describe.configure({ mode: "serial" });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-e2e-news-campaign-"));
let cover = "";
test.beforeAll(async () => {
  cover = path.join(dir, "会员日封面.jpg");
  fs.writeFileSync(
    cover,
    await sharp({ create: { width: 360, height: 200, channels: 3, background: "#2a7" } })
      .jpeg()
      .toBuffer(),
  );
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a news campaign: made in the editor, picked in compose, previewed to my WeChat before saving, sent to a tag", async ({ page }) => {
  await signInAsAdmin(page);
  // Previews go only to a WeChat ID an admin confirmed: typed in the profile, confirmed on the users page.
  await confirmOwnWechatId(page, "qunfa_tester");
  const accountId = await sandboxAccount(page);
  await withoutApproval(page, accountId);

  // The news, in the editor: title, cover, content (saved on its own).
  await page.goto(`/${accountId}/news`);
  await page.getByRole("button", { name: "新建图文" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));
  await page.getByLabel("标题（必填）").fill("秋季会员日");
  await page.getByTestId("cover-file").setInputFiles(cover);
  await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
  await page.getByTestId("content-editor").click();
  await page.keyboard.type("会员日全场八折，只在本周六。");
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });

  // Compose: the picker lists the draft's current version, not yet on WeChat.
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("会员日图文");
  await page.getByLabel("消息类型").selectOption("mpnews");
  // Saving without a choice is refused and keeps what was typed.
  // (When this is the account's only draft it is chosen already, and there is nothing to refuse.)
  if ((await page.locator('input[name="message-news-choice"]:checked').count()) === 0) {
    await submitAndExpectOutcome(page, page.getByRole("button", { name: "保存草稿" }), { want: "error" });
    await expect(page.getByText("请选择图文素材").first()).toBeVisible();
  }
  await expect(page.getByLabel("名称", { exact: true })).toHaveValue("会员日图文");
  const pick = page.getByRole("radio", { name: /秋季会员日/ });
  await expect(pick).toHaveAccessibleName(/秋季会员日 1 篇文章 · 第 \d+ 版 · 当前版本 · 尚未上传/);
  await pick.check();
  await expect(page.locator('#audience-tagId option[value="110"]')).toHaveText(/测试组（\d+ 人）/);
  await page.getByLabel("标签", { exact: true }).selectOption("110");
  await expectAccessible(page);

  // Preview before saving: the version is uploaded on the way; the result and the day's previews left.
  await page.getByRole("button", { name: "预览到我的微信" }).click();
  const result = page.getByTestId("preview-result");
  await expect(result).toContainText("图文已在发送途中上传到微信。", { timeout: 30_000 });
  await expect(result.getByText(/NEWS_/)).toBeHidden();
  await result.getByText("技术详情").click();
  await expect(result.getByTestId("technical-details")).toContainText(/media_id\s*NEWS_/);
  await expect(result).toContainText("预览已发送到 qunfa_tester");
  await expect(result).toContainText(/本公众号今天还可预览 \d+ 次/);
  await expect(page.getByRole("radio", { name: /秋季会员日/ })).toHaveAccessibleName(/已上传，有效期至/);
  await expect(page.getByLabel("名称", { exact: true })).toHaveValue("会员日图文");

  // Save (the form kept everything), then see the preview in the tester's inbox.
  await submitAndExpectOutcome(page, page.getByRole("button", { name: "保存草稿" }), { want: "success" });
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  const campaignUrl = page.url();
  await page.goto(`/sandbox?who=qunfa_tester`);
  const inbox = page.getByTestId("inbox");
  await expect(inbox.locator("article").first()).toContainText("秋季会员日");
  await expect(inbox.locator("article").first().getByText("预览")).toBeVisible();

  // Send it to the tag.
  await page.goto(campaignUrl);
  await expect(page.getByRole("radio", { name: /秋季会员日/ })).toBeChecked();
  await page.getByRole("button", { name: "立即发送" }).click();
  await page.getByRole("button", { name: "确认发送" }).click();
  await expect(page.getByText(/已提交|已完成/).first()).toBeVisible({ timeout: 30_000 });
  // The clientmsgid is behind 技术详情.
  await expect(page.getByTestId("batch-1").getByTestId("technical-details")).toContainText(/qf-c[0-9a-f]+-v1-b1/);

  // The inbox is rendered by the server: look again until the job has delivered (it runs after
  // "submitted", asynchronously, like WeChat's).
  const received = page.getByTestId("inbox").locator("article").filter({ hasText: "秋季会员日" });
  await expect
    .poll(
      async () => {
        await page.goto(`/sandbox?who=qunfa_tester`);
        return received.count();
      },
      { timeout: 45_000, intervals: [1_000, 2_000] },
    )
    .toBe(2);

  // The history finds it by its article title (the campaign's name does not contain it).
  await page.goto(`/${accountId}/history?q=${encodeURIComponent("秋季会员日")}`);
  await expect(page.getByText("会员日图文").first()).toBeVisible();
});
