import { expect, test } from "@playwright/test";
import { expectAccessible, sandboxAccount, signInAsAdmin, withoutApproval } from "./fixtures";

test.describe.configure({ mode: "serial" });

test("a campaign sent in the sandbox: its MASSSENDJOBFINISH counts appear on the page without a reload", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await withoutApproval(page, accountId);
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("回调实时结果");
  await page.getByLabel("文本内容").fill("本周新品到店，欢迎光临。");
  await expect(page.locator('#audience-tagId option[value="110"]')).toHaveText(/测试组（\d+ 人）/);
  await page.getByLabel("标签", { exact: true }).selectOption("110");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));

  // A marker on the window: a reload would drop it.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await page.getByRole("button", { name: "立即发送" }).click();
  await page.getByRole("button", { name: "确认发送" }).click();

  // The sandbox pushes MASSSENDJOBFINISH to the callback route; the page polls and shows it.
  await expect(page.getByTestId("count-sent")).toHaveText(/^[1-9]\d*$/, { timeout: 45_000 });
  await expect(page.getByTestId("count-total")).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByTestId("count-error")).toHaveText(/^\d+$/);
  await expect(page.getByTestId("count-filteredOut")).toHaveText(/^\d+$/);
  const sent = Number(await page.getByTestId("count-sent").innerText());
  const total = Number(await page.getByTestId("count-total").innerText());
  const filteredOut = Number(await page.getByTestId("count-filteredOut").innerText());
  const errors = Number(await page.getByTestId("count-error").innerText());
  // FilterCount = SentCount + ErrorCount; the page shows TotalCount − FilterCount as 被过滤.
  expect(sent + errors).toBe(total - filteredOut);
  // the raw Status stays behind 技术详情
  await expect(page.getByTestId("batch-1").getByTestId("technical-details")).toContainText("send success");
  await expect(page.getByTestId("batch-1")).toContainText("已发送完毕");
  await expect(page.getByText("已完成").first()).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expectAccessible(page);
});

test("a forged callback is refused, and the admin sees it in the account's callback log", async ({ page, request }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const ts = Math.floor(Date.now() / 1000);
  const res = await request.post(
    `/api/wechat/callback/${accountId}?signature=${"0".repeat(40)}&timestamp=${ts}&nonce=424242&encrypt_type=aes&msg_signature=${"1".repeat(40)}`,
    {
      data: "<xml><ToUserName><![CDATA[gh_qunfa0service]]></ToUserName><Encrypt><![CDATA[Zm9yZ2Vk]]></Encrypt></xml>",
      headers: { "content-type": "text/xml", "x-real-ip": "198.51.100.7" },
    },
  );
  expect(res.status()).toBe(403);
  expect(await res.text()).toBe("bad-signature");

  await page.goto(`/admin/accounts/${accountId}`);
  await expect(page.getByTestId("callback-summary")).toContainText(/已拒绝 [1-9]\d* 次回调/);
  await page.getByRole("link", { name: "查看回调记录" }).click();
  await page.waitForURL(new RegExp(`/admin/accounts/${accountId}/callbacks$`));
  const row = page.getByTestId("refusals-last").getByRole("row").filter({ hasText: "198.51.100.7" }).first();
  await expect(row).toContainText("签名错误");
  await expect(page.getByTestId("refusals-by-reason")).toContainText("签名错误");
  await expect(page.getByTestId("unmatched-total")).toBeVisible();
  // No secret of the account is on the page.
  const html = await page.content();
  for (const secret of ["qunfaSandboxToken", "qunfaSandboxEncodingAesKey0123456789abcdefg", "qunfaSandboxServiceSecret0000001"])
    expect(html).not.toContain(secret);
  await expectAccessible(page);
});
