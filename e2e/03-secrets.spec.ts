import { expect, test } from "@playwright/test";
import { appRoutes, SIGNATURE_ROUTES } from "./routes";
import { signInAsAdmin } from "./fixtures";

const SECRET = "S3cretS3cretS3cretS3cretS3cret99";
const AES = "ZyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJ";
const TOKEN = "CallbackTok3nXyz";

test("appsecret, EncodingAESKey and callback token never reach the browser", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/accounts/new");
  await page.getByLabel("名称").fill("保密测试号");
  await page.getByLabel("AppID").fill("wxfedcba0987654321");
  await page.getByLabel("AppSecret").fill(SECRET);
  await page.getByLabel("令牌(Token)").fill(TOKEN);
  await page.getByLabel("消息加解密密钥(EncodingAESKey)").fill(AES);

  const seen: string[] = [];
  page.on("response", async (res) => {
    try {
      seen.push(`${res.url()}\n${await res.text()}`);
    } catch {
      /* redirects and aborted requests have no body */
    }
  });
  await page.getByRole("button", { name: "接入", exact: true }).click();
  await page.waitForURL(/\/admin\/accounts\/a[0-9a-f]+$/);
  const id = page.url().split("/").pop()!;

  // Every page, as HTML and as the RSC payload a client navigation fetches.
  const urls = appRoutes()
    .filter((r) => r.kind === "page")
    .map((r) => r.url.replace("a0000000000000000", id).replace("/admin/accounts/x1", `/admin/accounts/${id}`));
  for (const url of urls) {
    for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
      const res = await page.request.get(url, { headers });
      seen.push(`${url}\n${await res.text()}`);
    }
  }
  // Every route handler's answer (JSON, CSV, files) for this account.
  const routes = appRoutes()
    .filter((r) => r.kind === "route" && !SIGNATURE_ROUTES.some((re) => re.test(r.url)))
    .map((r) => r.url.replace("a0000000000000000", id));
  for (const url of routes) {
    const res = await page.request.get(url);
    seen.push(`${url}\n${await res.text()}`);
  }
  // The actions' answers: saving the account unchanged, and a connection test (which fails here,
  // without network, and must say so in the admin's language without echoing any credential).
  await page.goto(`/admin/accounts/${id}`);
  const before = seen.length;
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
  await page.getByRole("button", { name: /测试连接/ }).click();
  await expect(page.getByText(/连接失败：/).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/连接失败：(请求微信超时|连接微信失败|微信返回)/).first()).toBeVisible();
  expect(seen.length).toBeGreaterThan(before);
  await page.reload();
  seen.push(await page.content());
  const leaks = seen.filter((s) => s.includes(SECRET) || s.includes(AES) || s.includes(TOKEN));
  expect(leaks.map((s) => s.split("\n")[0])).toEqual([]);
  expect(seen.length).toBeGreaterThan(urls.length);
});
