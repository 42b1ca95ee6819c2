import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { expectAccessible, signInAsAdmin } from "./fixtures";

test.describe.configure({ mode: "serial" });

// The sandbox's service account, with its documented defaults (lib/sandbox/defaults.ts).
const SVC = { appid: "wxqunfa0sandbox001", secret: "qunfaSandboxServiceSecret0000001" };

test("fault settings are saved and shown again after a reload", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/sandbox");
  await expect(page.getByRole("heading", { name: "故障注入" })).toBeVisible();
  await page.getByLabel("附加延迟（毫秒）").fill("7");
  await page.getByLabel("返回 -1 系统繁忙的比例").fill("0.05");
  await page.getByLabel("每分钟群发请求上限").fill("1234");
  await page.getByRole("button", { name: "保存故障设置" }).click();
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("附加延迟（毫秒）")).toHaveValue("7");
  await expect(page.getByLabel("返回 -1 系统繁忙的比例")).toHaveValue("0.05");
  await expect(page.getByLabel("每分钟群发请求上限")).toHaveValue("1234");
  // An out-of-range rate is refused in the browser and keeps what was typed.
  await page.getByLabel("返回 HTTP 5xx 的比例").fill("2");
  await page.getByRole("button", { name: "保存故障设置" }).click();
  await expect(page.getByLabel("返回 HTTP 5xx 的比例")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  // Back to no faults, so the sandbox behaves for what follows.
  await page.getByLabel("返回 HTTP 5xx 的比例").fill("0");
  await page.getByLabel("附加延迟（毫秒）").fill("0");
  await page.getByLabel("返回 -1 系统繁忙的比例").fill("0");
  await page.getByLabel("每分钟群发请求上限").fill("60");
  await page.getByRole("button", { name: "保存故障设置" }).click();
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
});

test("the inbox shows a received image message with the picture the sandbox serves", async ({ page, request }) => {
  await signInAsAdmin(page);
  // Through the sandbox's own WeChat API, as the console would: a stable token (the console's own
  // token is not replaced), an image upload, a preview to the tester's WeChat ID.
  const tok = await (
    await request.post("/sandbox-api/cgi-bin/stable_token", { data: { grant_type: "client_credential", appid: SVC.appid, secret: SVC.secret } })
  ).json();
  const png = await sharp({ create: { width: 48, height: 32, channels: 3, background: "#1aad19" } })
    .png()
    .toBuffer();
  const up = await (
    await request.post(`/sandbox-api/cgi-bin/media/upload?access_token=${tok.access_token}&type=image`, {
      multipart: { media: { name: "green.png", mimeType: "image/png", buffer: png } },
    })
  ).json();
  expect(up.media_id).toBeTruthy();
  const pv = await (
    await request.post(`/sandbox-api/cgi-bin/message/mass/preview?access_token=${tok.access_token}`, {
      data: { towxname: "qunfa_tester", msgtype: "image", image: { media_id: up.media_id } },
    })
  ).json();
  expect(pv.errcode).toBe(0);

  await page.goto("/sandbox?who=qunfa_tester");
  const img = page.getByTestId("inbox").getByTestId("inbox-image").first();
  await expect(img).toBeVisible();
  await expect(img).toHaveAttribute("src", new RegExp(`/sandbox-api/mmbiz/${up.media_id}$`));
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(48);
  await expect(page.getByTestId("inbox").getByText("预览").first()).toBeVisible();
  await expectAccessible(page);
});

test("an admin reseeds the sandbox after confirming; inboxes are empty again", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/sandbox?who=qunfa_tester");
  await expect(page.getByTestId("inbox")).toBeVisible();
  await page.getByRole("button", { name: "重新生成沙箱数据" }).click();
  const dialog = page.getByRole("dialog", { name: "重新生成沙箱数据？" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  // Backing out changes nothing.
  await dialog.getByRole("button", { name: "返回" }).click();
  await expect(page.getByTestId("inbox")).toBeVisible();
  await page.getByRole("button", { name: "重新生成沙箱数据" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "立即重新生成" }).click();
  await expect(page.getByText("沙箱数据已重新生成").first()).toBeVisible({ timeout: 45_000 });
  await page.goto("/sandbox?who=qunfa_tester");
  await expect(page.getByText(/还没有收到消息/)).toBeVisible();
  await expect(page.getByTestId("inbox")).toHaveCount(0);
});
