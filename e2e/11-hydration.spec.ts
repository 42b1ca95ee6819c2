import { expect, test, type Page, type Route } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { createUserWithRole, expectAccessible, sandboxAccount, signInAsAdmin, withApproval, withoutApproval } from "./fixtures";

test.describe.configure({ mode: "serial" });

// Input made in the server-rendered page before it has hydrated must be impossible (the control is
// disabled) or kept. Each test opens a page with its JavaScript held back, so it is exactly the
// server's HTML, acts on it, then lets it hydrate and checks that everything works.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-e2e-hydration-"));
let coverPng = "";
test.beforeAll(async () => {
  coverPng = path.join(dir, "hydration-cover.png");
  fs.writeFileSync(
    coverPng,
    await sharp({ create: { width: 360, height: 200, channels: 3, background: "#27a" } })
      .png()
      .toBuffer(),
  );
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CHUNK_JS = /\/_next\/static\/chunks\/.+\.js(\?|$)/;

/**
 * Opens url with every script chunk held back (the page is the server's HTML, nothing hydrated);
 * the returned function lets them load. Later navigations in the same page are held too until then.
 */
async function openBeforeHydration(page: Page, url: string) {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let held = 0;
  const hold = async (route: Route) => {
    held++;
    await gate;
    await route.continue().catch(() => {});
  };
  await page.route(CHUNK_JS, hold);
  await page.goto(url, { waitUntil: "domcontentloaded" });
  expect(held, "the page's scripts were held back").toBeGreaterThan(0);
  return async () => {
    open();
    await page.unroute(CHUNK_JS, hold);
  };
}

/** The console's header is a client component too: its language switcher is enabled once hydrated. */
const hydrated = (page: Page) => expect(page.getByRole("combobox", { name: /^(语言|Language)$/ })).toBeEnabled({ timeout: 30_000 });

async function textCampaign(page: Page, accountId: string, name: string) {
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill(name);
  await page.getByLabel("文本内容").fill(`${name}：正文`);
  await expect(page.locator('#audience-tagId option[value="110"]')).toHaveCount(1);
  await page.getByLabel("标签", { exact: true }).selectOption("110");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  return page.url();
}

test("dashboard: the speed control and the header's switchers wait for hydration; then a new speed is saved", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const hydrate = await openBeforeHydration(page, `/${accountId}`);
  await expect(page.getByLabel("速度档位")).toBeDisabled();
  await expect(page.getByRole("button", { name: "设置速度" })).toBeDisabled();
  await expect(page.getByRole("combobox", { name: "公众号", exact: true })).toBeDisabled();
  await expect(page.getByRole("combobox", { name: "语言" })).toBeDisabled();
  // Disabled controls keep their names: the server's page is as accessible as the hydrated one.
  await expectAccessible(page);

  await hydrate();
  await hydrated(page);
  const speed = page.getByLabel("速度档位");
  await expect(speed).toBeEnabled();
  await expect(page.getByRole("combobox", { name: "公众号", exact: true })).toBeEnabled();
  await expectAccessible(page);
  const before = await speed.inputValue();
  const next = String((Number(before) + 1) % 5);
  await speed.selectOption(next);
  await page.getByRole("button", { name: "设置速度" }).click();
  await expect(page.getByText("已设置群发速度")).toBeVisible();
  await page.reload();
  await expect(page.getByText(new RegExp(`当前速度档位 ${next}，`))).toBeVisible();
  await expect(speed).toHaveValue(next);

  // Put it back for whatever runs next.
  await speed.selectOption(before);
  await page.getByRole("button", { name: "设置速度" }).click();
  await expect(page.getByText("已设置群发速度")).toBeVisible();
});

test("users: a role cannot be changed before hydration (it was shown and never saved); after, the change is saved", async ({ page, browser }) => {
  await signInAsAdmin(page);
  const email = `hydration-${Date.now()}@qunfa.test`;
  const invited = await createUserWithRole(page, browser, "viewer", email);
  await invited.context().close();

  const hydrate = await openBeforeHydration(page, "/admin/users");
  const role = page.getByLabel(`${email} 的角色`);
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(role).toBeDisabled();
  await expect(row.getByRole("button", { name: "停用" })).toBeDisabled();
  await expect(page.locator("#invite-email")).toBeDisabled();

  await hydrate();
  await hydrated(page);
  await expect(role).toBeEnabled();
  await expect(row.getByRole("button", { name: "停用" })).toBeEnabled();
  await role.selectOption("editor");
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
  await page.reload();
  await expect(role).toHaveValue("editor");
});

test("media: the uploader's kind and storage wait for hydration (a thumb went up as an image); after, the upload uses the kind chosen", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const hydrate = await openBeforeHydration(page, `/${accountId}/media`);
  const kind = page.locator('select[id$="-kind"]:not(#media-kind)');
  await expect(kind).toBeDisabled();
  await expect(page.getByLabel("临时素材（3 天后过期）")).toBeDisabled();
  const choose = page.getByTestId("dropzone").locator("button", { hasText: "选择文件" });
  await expect(choose).toBeDisabled();
  await expect(page.getByLabel("选择文件")).toBeDisabled();
  // The library's search is a plain server form: it works before hydration and stays enabled.
  await expect(page.locator("#media-kind")).toBeEnabled();

  await hydrate();
  await hydrated(page);
  await expect(kind).toBeEnabled();
  await expect(choose).toBeEnabled();
  await kind.selectOption("thumb");
  const jpg = await sharp({ create: { width: 60, height: 40, channels: 3, background: "#3a7" } })
    .jpeg()
    .toBuffer();
  await page.getByLabel("选择文件").setInputFiles({ name: "hydration-thumb.jpg", mimeType: "image/jpeg", buffer: jpg });
  const job = page.getByTestId("upload-job").filter({ hasText: "hydration-thumb.jpg" });
  await expect(job).toContainText("已上传", { timeout: 30_000 });
  await expect(job).toContainText("封面（缩略图）");
  // Plain words in view; WeChat's media_id only behind 「技术详情」.
  await expect(job.getByTestId("upload-result")).toHaveText("已上传，可在群发和图文中使用");
  await expect(job.getByText(/media_id/)).toBeHidden();
  await job.getByText("技术详情").click();
  await expect(job.getByTestId("technical-details")).toContainText(/media_id\s*PM_/);
  await expect(kind).toHaveValue("thumb");
});

test("audiences: name and column wait for hydration (a name typed was shown, then refused as empty); after, the list is imported under that name", async ({
  page,
}) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const hydrate = await openBeforeHydration(page, `/${accountId}/audiences`);
  await expect(page.getByLabel("名单名称")).toBeDisabled();
  await expect(page.getByLabel("CSV 列名（可选）")).toBeDisabled();
  await expect(page.getByLabel("文件（CSV 或 TXT）")).toBeDisabled();
  await expect(page.getByRole("button", { name: "上传并检查" })).toBeDisabled();

  await hydrate();
  await hydrated(page);
  await page.getByLabel("名单名称").fill("水合后的名单");
  await page.getByLabel("CSV 列名（可选）").fill("openid");
  const ids = ["oHydrationAAAAAAAAAAAAAAAAAA", "oHydrationBBBBBBBBBBBBBBBBBB"];
  await page
    .getByLabel("文件（CSV 或 TXT）")
    .setInputFiles({ name: "hydration.csv", mimeType: "text/csv", buffer: Buffer.from(`name,openid\na,${ids[0]}\nb,${ids[1]}\n`) });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("import-report")).toContainText("有效 2 个");
  await expect(page.getByRole("cell", { name: "水合后的名单" })).toBeVisible();
});

test("history: the filters wait for hydration (Enter reloaded the page with every filter dropped); after, they filter through the URL", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const hydrate = await openBeforeHydration(page, `/${accountId}/history?type=text`);
  const search = page.getByRole("search", { name: "筛选群发历史" });
  await expect(search.getByLabel("搜索")).toBeDisabled();
  await expect(search.getByLabel("状态")).toBeDisabled();
  await expect(search.getByRole("button", { name: "搜索" })).toBeDisabled();

  await hydrate();
  await hydrated(page);
  await expect(page).toHaveURL(/type=text/);
  await expect(search.getByLabel("消息类型")).toHaveValue("text");
  await search.getByLabel("状态").selectOption("cancelled");
  await expect(page).toHaveURL(/state=cancelled/);
  await expect(page).toHaveURL(/type=text/);
  // Let the state filter's server render land before the next filter change: a search submitted
  // while it was still on its way was once lost in a full run (the URL ended without q). Not
  // explained yet; see the session note (stop 14).
  await page.waitForLoadState("networkidle");
  await search.getByLabel("搜索").fill("没有这样的群发");
  await search.getByLabel("搜索").press("Enter");
  await expect(page).toHaveURL(/q=/);
  await expect(page).toHaveURL(/type=text/);
  await expect(page.getByTestId("history-row")).toHaveCount(0);
});

test("a draft: the send panel waits for hydration (a time typed left 'Schedule' disabled); after, a typed time schedules it", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await withoutApproval(page, accountId);
  const url = await textCampaign(page, accountId, "水合定时");
  const hydrate = await openBeforeHydration(page, url);
  const when = page.getByLabel(/定时发送（Asia\/Shanghai）/);
  await expect(when).toBeDisabled();
  await expect(page.getByRole("button", { name: "立即发送" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "定时发送", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "取消这次群发" })).toBeDisabled();

  await hydrate();
  await hydrated(page);
  await expect(when).toBeEnabled();
  await expect(page.getByRole("button", { name: "立即发送" })).toBeEnabled();
  const future = new Date(Date.now() + 2 * 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
  await when.fill(future);
  await page.getByRole("button", { name: "定时发送", exact: true }).click();
  await expect(page.getByText("已定时").first()).toBeVisible();
  await expect(page.getByText(/将于 .* 发送/)).toBeVisible();
  await page.getByRole("button", { name: "取消群发" }).click();
  await expect(page.getByText("已取消").first()).toBeVisible();
});

test("approval: the comment waits for hydration (it was stored empty); after, it is stored with the decision", async ({ page, browser }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await withApproval(page, accountId);
  const approver = await createUserWithRole(page, browser, "publisher", `hydration-pub-${Date.now()}@qunfa.test`);
  try {
    const url = await textCampaign(page, accountId, "水合审批");
    await page.getByRole("button", { name: "申请立即发送" }).click();
    await page.getByRole("button", { name: "确认发送" }).click();
    await expect(page.getByText("待审批").first()).toBeVisible();

    const hydrate = await openBeforeHydration(approver, url);
    await expect(approver.getByLabel("审批意见")).toBeDisabled();
    await expect(approver.getByRole("button", { name: "驳回" })).toBeDisabled();
    await expect(approver.getByRole("button", { name: "批准" })).toBeDisabled();

    await hydrate();
    await hydrated(approver);
    await approver.getByLabel("审批意见").fill("水合后写的意见");
    await approver.getByRole("button", { name: "驳回" }).click();
    await expect(approver.getByTestId("audit-row").filter({ hasText: "campaign.reject" })).toContainText('"comment":"水合后写的意见"');
  } finally {
    await approver.context().close();
    await withoutApproval(page, accountId);
  }
});

test("news: the editor has no field before hydration; after, a draft is saved, sent, and its sent message's delete choice waits for hydration, then deletes the article chosen", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await withoutApproval(page, accountId);
  await page.goto(`/${accountId}/news`);
  await page.getByRole("button", { name: "新建图文" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));

  // The editor renders in the browser only (it may start from this browser's copy).
  const hydrate = await openBeforeHydration(page, page.url());
  await expect(page.getByRole("status").filter({ hasText: "正在加载…" })).toBeVisible();
  await expect(page.getByLabel("标题（必填）")).toHaveCount(0);
  await hydrate();
  await hydrated(page);
  const titles = ["水合：第一篇", "水合：第二篇"];
  for (const [i, title] of titles.entries()) {
    if (i > 0) await page.getByRole("button", { name: "添加文章" }).click();
    await page.getByLabel("标题（必填）").fill(title);
    if (i === 0) await page.getByTestId("cover-file").setInputFiles(coverPng);
    else {
      await page.getByRole("button", { name: "从素材库选择" }).click();
      await page
        .getByRole("dialog", { name: "选择封面" })
        .getByRole("button", { name: /hydration-cover/ })
        .first()
        .click();
    }
    await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
    await page.getByTestId("content-editor").click();
    await page.keyboard.type(`${title}：正文。`);
  }
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });

  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("水合图文推送");
  await page.getByLabel("消息类型").selectOption("mpnews");
  await page
    .getByRole("radio", { name: new RegExp(titles[0]) })
    .first()
    .check();
  await expect(page.locator('#audience-tagId option[value="110"]')).toHaveCount(1);
  await page.getByLabel("标签", { exact: true }).selectOption("110");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  const url = page.url();
  await page.getByRole("button", { name: "立即发送" }).click();
  await page.getByRole("button", { name: "确认发送" }).click();
  await expect(page.getByText("已完成").first()).toBeVisible({ timeout: 45_000 });

  // Before: "article 2" picked here was shown, but the confirmation offered the whole message.
  const again = await openBeforeHydration(page, url);
  await expect(page.getByLabel("删除范围")).toBeDisabled();
  await expect(page.getByRole("button", { name: "删除已发送的消息" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "刷新状态" })).toBeDisabled();
  await again();
  await hydrated(page);
  await page.getByLabel("删除范围").selectOption({ label: `第 2 篇：${titles[1]}` });
  await page.getByRole("button", { name: "删除已发送的消息" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("delete-target")).toHaveText(`第 2 篇：${titles[1]}`);
  await dialog.getByRole("button", { name: "确认删除" }).click();
  await expect(page.getByText("已删除").first()).toBeVisible();
  await expect(page.getByTestId("wechat-status-1")).toContainText("已删除第 2 篇");
});

test("a server-rendered search form keeps what was typed before hydration, and keeps focus through it", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const hydrate = await openBeforeHydration(page, `/${accountId}/news`);
  const q = page.getByRole("search", { name: "搜索图文" }).getByLabel("标题");
  await expect(q).toBeEnabled();
  await q.focus();
  await page.keyboard.type("水合");
  await hydrate();
  await hydrated(page);
  await expect(q).toHaveValue("水合");
  await expect(q).toBeFocused();
  await page.keyboard.type("：第一篇");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/q=/);
  await expect(q).toHaveValue("水合：第一篇");
  await expect(page.getByRole("link", { name: "水合：第一篇" })).toBeVisible();
  await expectAccessible(page);
});
