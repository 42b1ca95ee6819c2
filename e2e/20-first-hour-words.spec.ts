import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, sandboxAccount, signInAsAdmin } from "./fixtures";

// The rest of a marketer's first hour: the editor's clock is the account's, a refused save names the
// article and the field in words, the audit log refuses a day that does not exist, the sandbox's
// job table speaks plainly, and a new account's only news draft is chosen for the marketer only when it can be sent.

const stamp = Date.now().toString(36);
const ZONE = "America/New_York";

/** `2026-12-03 03:40` for an instant in a zone, as lib/i18n/time.ts writes it. */
const wall = (d: Date, timeZone: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};

async function setZone(page: Page, accountId: string, zone: string) {
  await page.goto(`/admin/accounts/${accountId}`);
  const select = page.getByLabel("时区");
  await expect(select).toBeEnabled();
  await select.selectOption(zone);
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
}

async function newDraft(page: Page, accountId: string) {
  await page.goto(`/${accountId}/news`);
  await page.getByRole("button", { name: "新建图文" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));
  await expect(page.getByLabel("标题（必填）")).toBeVisible();
}

test("the news editor's saved-version line is in the account's zone and the console's one format, labelled", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await setZone(page, accountId, ZONE);
  try {
    await newDraft(page, accountId);
    await page.getByLabel("标题（必填）").fill(`时区草稿 ${stamp}`);
    const status = page.getByTestId("save-status");
    await expect(status).toContainText("已保存第", { timeout: 15_000 });
    const text = await status.innerText();
    const now = new Date();
    const candidates = [-60_000, 0, 60_000].map((d) => wall(new Date(now.getTime() + d), ZONE));
    expect(
      candidates.some((c) => text.includes(c)),
      `${text} shows New York time (${candidates.join(" | ")})`,
    ).toBe(true);
    expect(text).toMatch(/UTC-0[45]/);
    expect(text).not.toMatch(/\d{4}\/\d{1,2}\/\d{1,2}|AM|PM|上午|下午/);
  } finally {
    await setZone(page, accountId, "Asia/Shanghai");
  }
});

test("a save the server refuses names the article and the field in words, not only 'invalid input'", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await newDraft(page, accountId);
  // A pasted text far longer than any title: kept in the editor, refused by the save, said where.
  await page.getByLabel("标题（必填）").fill("长".repeat(1001));
  const status = page.getByTestId("save-status");
  await expect(status).toContainText("保存失败", { timeout: 15_000 });
  await expect(status).toContainText("第 1 篇文章的标题：最多 1000 个字符");
  await expect(status).not.toContainText("articles.");
  await expect(page.getByLabel("标题（必填）")).toHaveValue("长".repeat(1001));
  // Shortened, it saves.
  await page.getByLabel("标题（必填）").fill(`改短了 ${stamp}`);
  await expect(status).toContainText("已保存第", { timeout: 20_000 });
});

test("the audit log refuses a day that does not exist, naming the field, instead of ignoring it silently", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/audit?from=2020-13-45&to=2026-02-30");
  const refused = page.getByTestId("audit-refused");
  await expect(refused).toContainText("开始日期「2020-13-45」不是有效日期");
  await expect(refused).toContainText("结束日期「2026-02-30」不是有效日期");
  await expect(page.getByLabel("开始日期")).toHaveAttribute("aria-invalid", "true");
  // A real day is taken without a word.
  await page.goto("/admin/audit?from=2020-01-31");
  await expect(page.getByRole("heading", { name: "审计日志" })).toBeVisible();
  await expect(page.getByTestId("audit-refused")).toHaveCount(0);
  await expectAccessible(page);
});

test("the sandbox's job table says what WeChat's counts and statuses mean; the raw fields are behind 技术详情", async ({ page, request }) => {
  await signInAsAdmin(page);
  // One job in the table whatever ran before: a text preview through the sandbox's own WeChat API.
  const SVC = { appid: "wxqunfa0sandbox001", secret: "qunfaSandboxServiceSecret0000001" };
  const tok = await (
    await request.post("/sandbox-api/cgi-bin/stable_token", { data: { grant_type: "client_credential", appid: SVC.appid, secret: SVC.secret } })
  ).json();
  const pv = await (
    await request.post(`/sandbox-api/cgi-bin/message/mass/preview?access_token=${tok.access_token}`, {
      data: { towxname: "qunfa_tester", msgtype: "text", text: { content: `平实的话 ${stamp}` } },
    })
  ).json();
  expect(pv.errcode).toBe(0);
  await page.goto(`/sandbox?app=${SVC.appid}`);
  const table = page.getByRole("table", { name: "群发任务" });
  await expect(table).toBeVisible();
  for (const h of ["目标人数", "被过滤", "成功", "失败"]) await expect(table.getByRole("columnheader", { name: h, exact: true })).toBeVisible();
  const shown = await table.innerText();
  expect(shown).not.toMatch(/SEND_SUCCESS|SEND_FAIL|TotalCount|msg_id|\bTotal\b|\bFilter\b/);
  const details = table.getByTestId("technical-details").first();
  await details.getByText("技术详情").click();
  await expect(details).toContainText(/msg_id\s*\d+/);
  await expectAccessible(page);
});

test("a new account's only news draft is chosen in compose only when it can be sent, with WeChat's default reprint choice", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/accounts/new");
  const name = `单稿测试号${stamp}`;
  await page.getByLabel("名称").fill(name);
  await page.getByLabel("AppID").fill(`wx${(Date.now().toString(16) + "0000000000000000").slice(0, 16)}`);
  await page.getByLabel("AppSecret").fill("0ne0nlyDraftSecret00000000000001".slice(0, 32));
  await page.getByLabel("令牌(Token)").fill("OneDraftTok3n");
  await page.getByLabel("消息加解密密钥(EncodingAESKey)").fill("OneDraftAesKey0123456789abcdefghijklmnopqrs".slice(0, 43));
  await page.getByRole("button", { name: "接入", exact: true }).click();
  await page.waitForURL(/\/admin\/accounts\/a[0-9a-f]+$/);
  const accountId = page.url().split("/").pop()!;

  // No draft yet: nothing is chosen.
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("消息类型").selectOption("mpnews");
  await expect(page.locator('input[name="message-news-choice"]:checked')).toHaveCount(0);

  const title = `唯一的图文 ${stamp}`;
  await newDraft(page, accountId);
  await page.getByLabel("标题（必填）").fill(title);
  await expect(page.getByTestId("save-status")).toContainText("已保存第", { timeout: 15_000 });

  // A title alone cannot be sent: the only draft is not chosen, and its row says what is missing.
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("消息类型").selectOption("mpnews");
  const only = page.getByRole("radio", { name: new RegExp(`${title}.*当前版本`) });
  await expect(only).not.toBeChecked();
  await expect(only).toBeDisabled();
  await expect(only).toHaveAccessibleDescription("还不能发送：第 1 篇缺封面；第 1 篇没有正文。");

  // (Finishing it needs a cover uploaded to WeChat, which this made-up account cannot reach; e2e/12's
  // first compose test checks a complete draft is chosen when it is the sandbox account's only one.)
  await expect(page.getByRole("radio", { name: /^停止群发/ })).toBeChecked();
  await expect(page.getByRole("radio", { name: /^继续群发/ })).not.toBeChecked();
});
