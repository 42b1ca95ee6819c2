import { expect, test } from "@playwright/test";
import { ADMIN, expectAccessible, signIn } from "./fixtures";

test.describe.configure({ mode: "serial" });

test("first-run setup, sign in, add an account, see its callback URL, sign out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("首次设置：创建管理员");
  await expectAccessible(page);

  // A refused form keeps what was typed and names the rule.
  await page.getByLabel("姓名").fill(ADMIN.name);
  await page.getByLabel("邮箱").fill(ADMIN.email);
  await page.getByLabel("密码", { exact: true }).fill("short");
  await page.getByLabel("确认密码").fill("short");
  await page.getByRole("button", { name: "创建管理员并登录" }).click();
  await expect(page.getByText("至少 10 个字符").last()).toBeVisible();
  await expect(page.getByLabel("邮箱")).toHaveValue(ADMIN.email);

  await page.getByLabel("密码", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("确认密码").fill(ADMIN.password);
  await page.getByRole("button", { name: "创建管理员并登录" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/setup"));

  // Setup is first-run only.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup$/);

  await page.goto("/admin/accounts/new");
  await expectAccessible(page);
  await page.getByLabel("名称").fill("测试服务号");
  await page.getByLabel("AppID").fill("bad");
  await page.getByRole("button", { name: "接入", exact: true }).click();
  await expect(page.getByText("AppID 以 wx 开头，共 18 位字母或数字")).toBeVisible();
  await expect(page.getByLabel("名称")).toHaveValue("测试服务号");

  await page.getByLabel("AppID").fill("wx1234567890abcdef");
  await page.getByLabel("AppSecret").fill("0123456789abcdef0123456789abcdef");
  await page.getByLabel("令牌(Token)").fill("qunfaToken123");
  await page.getByLabel("消息加解密密钥(EncodingAESKey)").fill("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  await page.getByRole("button", { name: "接入", exact: true }).click();
  await page.waitForURL(/\/admin\/accounts\/a[0-9a-f]+$/);
  const id = page.url().split("/").pop()!;
  await expect(page.getByLabel("回调地址")).toHaveValue(new RegExp(`/api/wechat/callback/${id}$`));
  await expect(page.getByText("微信尚未验证此地址")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "退出登录" }).click();
  await page.waitForURL(/\/sign-in/);
  await page.goto("/admin/accounts");
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/accounts");
  await expect(page.getByRole("link", { name: "测试服务号" })).toBeVisible();
});

test("the language switcher shows the console in English", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/accounts");
  await page.getByLabel("语言").selectOption("en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Official Accounts");
  await expectAccessible(page);
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("公众号管理");
});

test("failed sign-ins are throttled and say so", async ({ page }) => {
  await page.goto("/sign-in");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("邮箱").fill("nobody@qunfa.test");
    await page.getByLabel("密码", { exact: true }).fill(`wrong-password-${i}`);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(page.getByRole("alert").first()).toBeVisible();
  }
  await page.getByLabel("密码", { exact: true }).fill("wrong-password-x");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.getByText(/登录失败次数过多/)).toBeVisible();
});
