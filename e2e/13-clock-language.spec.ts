import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { expectAccessible, sandboxAccount, signInAsAdmin, withoutApproval } from "./fixtures";

const ZONE = "America/New_York";
/** `2026-12-03 03:40` as the console writes it, for an instant in a zone. */
const wall = (d: Date, timeZone: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};
const nyOffset = () => {
  const s = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, timeZoneName: "shortOffset" })
    .formatToParts(new Date())
    .find((x) => x.type === "timeZoneName")!.value; // GMT-5
  const h = Number(s.replace("GMT", ""));
  return { label: `UTC${h < 0 ? "-" : "+"}${String(Math.abs(h)).padStart(2, "0")}`, csv: `${h < 0 ? "-" : "+"}${String(Math.abs(h)).padStart(2, "0")}:00` };
};

/** No time on the page in another format: no AM/PM, no bare ISO, no US m/d/yyyy. */
async function expectOneFormat(page: Page) {
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/\b\d{1,2}:\d{2}(:\d{2})?\s?(AM|PM)\b|上午|下午/);
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\b\d{1,2}\/\d{1,2}\/\d{4}\b/);
  expect(text).not.toMatch(/\d{4}\/\d{1,2}\/\d{1,2}/);
}

async function setZone(page: Page, accountId: string, zone: string) {
  await page.goto(`/admin/accounts/${accountId}`);
  const select = page.getByLabel(/^(时区|Time zone)$/);
  await expect(select).toBeEnabled();
  await select.selectOption(zone);
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("时区")).toHaveValue(zone);
}

let accountId = "";

test("one clock: with the account in New York, every page and the CSV show New York time in one format, labelled", async ({ page }) => {
  test.setTimeout(300_000);
  await signInAsAdmin(page);
  accountId = await sandboxAccount(page);
  await withoutApproval(page, accountId);

  // The zone is a select of real zones; a value Intl does not know is refused by the server too.
  await page.goto(`/admin/accounts/${accountId}`);
  await expect(page.getByLabel("时区")).toHaveValue(/Asia\/Shanghai|America\/New_York/);
  await expect(page.getByLabel("时区").locator("option", { hasText: "北京时间" })).toHaveCount(1);
  await expectAccessible(page);
  await setZone(page, accountId, ZONE);
  const off = nyOffset();

  // A campaign sent now.
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("时钟测试");
  await page.getByLabel("文本内容").fill("一个时钟，一种语言。");
  await expect(page.locator('#audience-tagId option[value="110"]')).toHaveText(/测试组（\d+ 人）/);
  await page.getByLabel("标签", { exact: true }).selectOption("110");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  const before = new Date();
  await page.getByRole("button", { name: "立即发送" }).click();
  await page.getByRole("button", { name: "确认发送" }).click();
  await expect(page.getByText("已完成").first()).toBeVisible({ timeout: 45_000 });
  await page.reload();

  // Campaign page: the batch's time in New York, labelled, plain words for the counts.
  const batch = page.getByTestId("batch-1");
  await expect(batch).toContainText(new RegExp(`\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} ${off.label}`));
  const shown = (await batch.innerText()).match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)![0];
  expect([wall(before, ZONE), wall(new Date(), ZONE), wall(new Date(before.getTime() - 60_000), ZONE)]).toContain(shown);
  for (const w of ["目标人数", "被过滤", "成功", "失败"]) await expect(page.getByRole("main")).toContainText(w);
  await expect(page.getByTestId("count-total")).toHaveText(/^[1-9]\d*$/);
  // The raw WeChat fields only inside 技术详情, closed until asked for.
  const tech = batch.getByTestId("technical-details");
  await expect(tech.getByText(/qf-c[0-9a-f]+-v1-b1/)).toBeHidden();
  await expect(
    page
      .getByRole("main")
      .getByText(/TotalCount|SentCount|SEND_SUCCESS|clientmsgid/)
      .first(),
  ).toBeHidden();
  await tech.locator("summary", { hasText: "技术详情" }).click();
  await expect(tech.getByText(/qf-c[0-9a-f]+-v1-b1/)).toBeVisible();
  await expect(tech).toContainText("send success");
  await expect(page.getByTestId("audit-row").first()).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await expectOneFormat(page);
  await expectAccessible(page);

  // History: the same instant, the same words.
  await page.goto(`/${accountId}/history`);
  const row = page.getByTestId("history-row").filter({ hasText: "时钟测试" }).first();
  await expect(row).toContainText(new RegExp(`\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} ${off.label}`));
  for (const w of ["目标人数", "被过滤", "成功", "失败"])
    await expect(page.getByRole("region", { name: "群发历史" }).getByRole("columnheader", { name: w, exact: true })).toBeVisible();
  await expectOneFormat(page);
  await expectAccessible(page);

  // The CSV: headers and states in Chinese, times in New York with the offset, BOM, every cell quoted.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "导出 CSV" }).click()]);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const [header, ...lines] = csv.slice(1).split("\r\n").filter(Boolean);
  expect(header).toBe(
    '"编号","公众号","名称","标题","消息类型","发送对象","对象名称","对象人数","状态","请求数","创建人","审批人","发送人","创建时间","发送时间","目标人数","被过滤","成功","失败"',
  );
  const mine = lines.find((l) => l.includes('"时钟测试"'))!;
  expect(mine).toContain('"已完成"');
  expect(mine).toContain('"文本"');
  expect(mine).toMatch(new RegExp(`"\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} ${off.csv.replace("+", "\\+")}"`));
  expect(csv).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(csv).not.toMatch(/"finished"|"mpnews"/);

  // Other pages of the account: one format, no AM/PM, and every time says its zone (the account is
  // in New York here, so an unlabelled time would be read as Beijing time).
  for (const p of [`/${accountId}`, `/${accountId}/campaigns`, `/${accountId}/audiences`, `/${accountId}/media`, `/${accountId}/news`]) {
    await page.goto(p);
    await expectOneFormat(page);
    const text = await page.locator("main").innerText();
    const times = text.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?\s*\S*/g) ?? [];
    expect(
      times.filter((x) => !x.includes(off.label)),
      `times without their zone on ${p}`,
    ).toEqual([]);
  }

  // Admin pages across accounts say which zone they use; the account's rows in its zone.
  await page.goto("/admin/audit");
  await expect(page.getByRole("main")).toContainText("北京时间（UTC+8）");
  const sendRow = page.getByRole("row").filter({ hasText: "开始群发" }).first();
  await expect(sendRow).toContainText(new RegExp(`\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} ${off.label}`));
  await expect(sendRow.getByText("campaign.send", { exact: true })).toBeHidden();
  await sendRow.locator("summary").click();
  await expect(sendRow.getByText("campaign.send", { exact: true })).toBeVisible();
  await expectOneFormat(page);
  await expectAccessible(page);

  await page.goto("/admin/users");
  await page
    .getByLabel(/^(邮箱|Email)$/)
    .first()
    .fill(`clock-${Date.now()}@qunfa.test`);
  await page.getByRole("button", { name: "生成邀请链接" }).click();
  await expect(page.locator("#invite-link")).not.toHaveValue("");
  await page.reload();
  await expect(page.getByRole("main")).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间/);
  await expectOneFormat(page);
  await expectAccessible(page);

  await page.goto(`/admin/accounts/${accountId}/callbacks`);
  await expectOneFormat(page);

  await page.goto("/sandbox?who=qunfa_tester");
  await expect(page.getByTestId("inbox").locator("time").first()).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间$/);
  await expectOneFormat(page);
  await expectAccessible(page);

  // In English the same format, the zone named in English.
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: new URL("/", page.url()).toString() }]);
  await page.goto(`/${accountId}/history`);
  await expect(page.getByTestId("history-row").filter({ hasText: "时钟测试" }).first()).toContainText(
    new RegExp(`\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} ${off.label}`),
  );
  for (const w of ["Target", "Filtered", "Delivered", "Failed"])
    await expect(page.getByRole("region", { name: "History", exact: true }).getByRole("columnheader", { name: w, exact: true })).toBeVisible();
  await expectOneFormat(page);
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: new URL("/", page.url()).toString() }]);

  await setZone(page, accountId, "Asia/Shanghai");
});

test("a date filter that is no day is refused with a message, not an error page", async ({ page }) => {
  await signInAsAdmin(page);
  accountId ||= await sandboxAccount(page);
  const res = await page.goto(`/${accountId}/history?from=2020-13-45`);
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("history-refused")).toContainText("开始日期「2020-13-45」不是有效日期");
  await expect(page.getByTestId("history-row").first()).toBeVisible();
  // The export link leaves the refused filter out; the export route refuses it in words.
  await expect(page.getByRole("link", { name: "导出 CSV" })).not.toHaveAttribute("href", /2020-13-45/);
  const csv = await page.request.get(`/${accountId}/history/export?to=2026-02-30`);
  expect(csv.status()).toBe(400);
  expect(await csv.text()).toContain("结束日期「2026-02-30」不是有效日期");
  const all = await page.goto(`/admin/history?from=2020-13-45`);
  expect(all?.status()).toBe(200);
  await expect(page.getByTestId("history-refused")).toContainText("2020-13-45");
  await expectAccessible(page);
});

test("a too-long title is refused in the news picker in Chinese, naming the article, the field and the limit, and what was typed stays", async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-e2e-clock-"));
  const cover = path.join(dir, "封面.jpg");
  fs.writeFileSync(
    cover,
    await sharp({ create: { width: 360, height: 200, channels: 3, background: "#27a" } })
      .jpeg()
      .toBuffer(),
  );
  await signInAsAdmin(page);
  await page.goto("/profile");
  await page.getByLabel("我的微信号").fill("qunfa_tester");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
  accountId ||= await sandboxAccount(page);

  const long = "超长标题" + "很".repeat(66); // 70 characters, WeChat allows 64
  await page.goto(`/${accountId}/news`);
  await page.getByRole("button", { name: "新建图文" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));
  await page.getByLabel("标题（必填）").fill(long);
  await page.getByTestId("cover-file").setInputFiles(cover);
  await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
  await page.getByTestId("content-editor").click();
  await page.keyboard.type("正文。");
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });

  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("超长标题预览");
  await page.getByLabel("消息类型").selectOption("mpnews");
  // The picker says so before anything is sent or previewed: the draft cannot be chosen, and its
  // row names the article, the field and the limit in Chinese.
  const radio = page.getByRole("radio", { name: /超长标题/ });
  await expect(radio).toBeDisabled();
  const main = page.getByRole("main");
  await expect(main).toContainText("还不能发送：第 1 篇的标题超过 64 个字符。");
  await expect(main).not.toContainText(/Too big|expected string|characters/);
  await expect(page.getByLabel("名称", { exact: true })).toHaveValue("超长标题预览");
  await expectAccessible(page);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("date fields show the console's one format in both languages, read what people type, and say when it is no date", async ({ page }) => {
  await signInAsAdmin(page);
  accountId ||= await sandboxAccount(page);
  await page.goto(`/${accountId}/history`);
  const from = page.getByLabel("开始日期", { exact: true });
  await expect(from).toBeEnabled();
  await expect(from).toHaveAttribute("placeholder", "年-月-日");
  // A day typed the Chinese way becomes the one format, and filters the list.
  await from.fill("2026年1月5日");
  await from.press("Tab");
  await expect(from).toHaveValue("2026-01-05");
  await expect(page).toHaveURL(/from=2026-01-05/);
  // The filter applied without taking the keyboard user's place: Tab went on to the calendar button.
  await expect(page.getByRole("button", { name: "从日历中选日期" }).first()).toBeFocused();
  // A US-style day is no day here: the field says so, names the format, and keeps what was typed.
  const to = page.getByLabel("结束日期", { exact: true });
  await to.fill("12/31/2026");
  await to.press("Enter");
  await expect(page.getByText("不是有效日期：请按“年-月-日”填写，例如 2026-12-03")).toBeVisible();
  await expect(to).toHaveAttribute("aria-invalid", "true");
  await expect(to).toHaveValue("12/31/2026");
  await expect(page).not.toHaveURL(/to=/);
  await to.fill("2026/12/31");
  await to.press("Tab");
  await expect(to).toHaveValue("2026-12-31");
  await expect(page).toHaveURL(/to=2026-12-31/);
  await expect(page.getByText("不是有效日期", { exact: false })).toHaveCount(0);
  // The calendar button has a name a screen reader reads.
  await expect(page.getByRole("button", { name: "从日历中选日期" })).toHaveCount(2);
  await expectAccessible(page);
  // A reload keeps the filter and shows it in the format.
  await page.reload();
  await expect(page.getByLabel("开始日期", { exact: true })).toHaveValue("2026-01-05");

  // The audit log's GET form reads a typed day the same way.
  await page.goto(`/admin/audit?from=2026/1/5`);
  await expect(page.getByLabel("开始日期", { exact: true })).toHaveValue("2026/1/5");
  await expect(page.getByText(/不是有效日期/)).toHaveCount(0);

  // English: the same format, English words.
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: new URL("/", page.url()).toString() }]);
  await page.goto(`/${accountId}/history`);
  const enFrom = page.getByLabel("From", { exact: true });
  await expect(enFrom).toHaveAttribute("placeholder", "YYYY-MM-DD");
  await enFrom.fill("yesterday");
  await enFrom.press("Tab");
  await expect(page.getByText("Not a valid date: write it as year-month-day, e.g. 2026-12-03")).toBeVisible();
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: new URL("/", page.url()).toString() }]);
});

test("a schedule time is typed in the one format (24 hours, the account's zone); a wrong one is said, not sent", async ({ page }) => {
  await signInAsAdmin(page);
  accountId ||= await sandboxAccount(page);
  await withoutApproval(page, accountId);
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("日期格式定时");
  await page.getByLabel("文本内容").fill("日期格式定时：正文");
  await expect(page.locator('#audience-tagId option[value="110"]')).toHaveCount(1);
  await page.getByLabel("标签", { exact: true }).selectOption("110");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  const when = page.getByLabel(/^定时发送（/);
  await expect(when).toBeEnabled();
  await expect(when).toHaveAttribute("placeholder", "年-月-日 时:分");
  await when.fill("明天上午");
  await page.getByRole("button", { name: "定时发送", exact: true }).click();
  // The field says why once, under itself, and the person is taken back to it; nothing is scheduled.
  await expect(page.getByText("不是有效时间：请按“年-月-日 时:分”（24 小时制）填写，例如 2026-12-05 09:30")).toHaveCount(1);
  await expect(when).toHaveAttribute("aria-invalid", "true");
  await expect(when).toBeFocused();
  await expect(when).toHaveValue("明天上午");
  await expect(page.getByText("已定时")).toHaveCount(0);
  // The Chinese way of writing a time, a year ahead in Shanghai, is read and shown back in the format.
  const year = new Date().getUTCFullYear() + 1;
  await when.fill(`${year}年3月5日 9点30分`);
  await when.press("Tab");
  await expect(when).toHaveValue(`${year}-03-05 09:30`);
  await page.getByRole("button", { name: "定时发送", exact: true }).click();
  await expect(page.getByText("已定时").first()).toBeVisible();
  await expect(page.getByText(new RegExp(`将于 ${year}-03-05 09:30`))).toBeVisible();
  await page.getByRole("button", { name: "取消群发" }).click();
  await expect(page.getByText("已取消").first()).toBeVisible();
});
