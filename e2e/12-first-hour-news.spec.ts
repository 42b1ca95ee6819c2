import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { mp4Bytes } from "../test/support/media-fixtures";
import { confirmOwnWechatId, expectAccessible, newDraft, pasteIntoEditor, sandboxAccount, signInAsAdmin, submitAndExpectOutcome, typeBody } from "./fixtures";

// A marketer's first hour with a news message, click by click: the traps found there (a save that
// did nothing, an editor that showed and overwrote another article after a reorder, a picture
// replaced by the next keystroke, a video's title given to the next picture) stay caught.
// Each test stands alone (its own draft, its own names), so one failure does not hide the others.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-e2e-first-hour-"));
const stamp = Date.now().toString(36);
let cover = "";
let png: Buffer;
test.beforeAll(async () => {
  cover = path.join(dir, "首页封面.jpg");
  fs.writeFileSync(
    cover,
    await sharp({ create: { width: 360, height: 200, channels: 3, background: "#37a" } })
      .jpeg()
      .toBuffer(),
  );
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#a33" } })
    .png()
    .toBuffer();
  fs.writeFileSync(path.join(dir, "插图.png"), png);
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const editor = (page: Page) => page.getByTestId("content-editor");
const titles = (page: Page) => page.getByTestId("article-list").getByTestId("article-title").allInnerTexts();

/** The editor's content as a list of what is in it, in order: "img" or the text of a paragraph. */
const bodyParts = (page: Page) =>
  editor(page).evaluate((el) =>
    Array.from(el.querySelectorAll("img, p"))
      .map((n) => (n.tagName === "IMG" ? "img" : (n.textContent ?? "").trim()))
      .filter(Boolean),
  );

async function saved(page: Page) {
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });
}

test("compose a news campaign: pick the draft, click each reprint choice, pick a tag, save; the choice is kept", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const title = `首小时图文 ${stamp}`;
  await newDraft(page, accountId);
  await page.getByLabel("标题（必填）").fill(title);
  await page.getByTestId("cover-file").setInputFiles(cover);
  await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
  await typeBody(page, "第一次写的图文。");
  await saved(page);

  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill(`首小时群发 ${stamp}`);
  await page.getByLabel("消息类型").selectOption("mpnews");
  // The only draft is chosen already; with several, none is chosen for the marketer.
  const drafts = page.getByRole("radio", { name: /篇文章 · 第 \d+ 版 · 当前版本/ });
  if ((await drafts.count()) === 1) await expect(drafts).toBeChecked();
  else await expect(page.locator('input[name="message-news-choice"]:checked')).toHaveCount(0);
  await page.getByRole("radio", { name: new RegExp(`${title}.*当前版本`) }).check();

  // WeChat's default (send_ignore_reprint = 0: stop) is chosen; each choice can be clicked.
  const stop = page.getByRole("radio", { name: /^停止群发/ });
  const go = page.getByRole("radio", { name: /^继续群发/ });
  // Plain words; WeChat's field name only behind 技术详情.
  await expect(stop).toHaveAccessibleName(/^停止群发（微信默认）：/);
  await expect(go).not.toHaveAccessibleName(/send_ignore_reprint/);
  await expect(page.getByText(/send_ignore_reprint/)).toBeHidden();
  await expect(stop).toBeChecked();
  await go.click();
  await expect(go).toBeChecked();
  await stop.click();
  await expect(stop).toBeChecked();
  await go.click();
  await expect(page.locator('#audience-tagId option[value="110"]')).toHaveText(/测试组/);
  await page.getByLabel("标签", { exact: true }).selectOption("110");
  await expectAccessible(page);

  const r = await submitAndExpectOutcome(page, page.getByRole("button", { name: "保存草稿" }), { want: "success" });
  expect(r.alerts).toEqual([]);
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  await page.reload();
  await expect(page.getByLabel("名称", { exact: true })).toHaveValue(`首小时群发 ${stamp}`);
  await expect(page.getByRole("radio", { name: new RegExp(title) }).first()).toBeChecked();
  await expect(page.getByRole("radio", { name: /^继续群发/ })).toBeChecked();
  await expect(page.getByRole("radio", { name: /^停止群发/ })).not.toBeChecked();
  await expect(page.getByLabel("标签", { exact: true })).toHaveValue("110");
  await expectAccessible(page);
});

test("three articles keep their own fields through reorders by drag and by buttons, an edit and a reload", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await newDraft(page, accountId);
  const want: Record<string, { title: string; author: string; digest: string; body: string }> = {};
  for (const n of ["甲", "乙", "丙"]) want[n] = { title: `文章${n} ${stamp}`, author: `作者${n}`, digest: `摘要${n}`, body: `正文${n}的内容。` };

  for (const [k, n] of ["甲", "乙", "丙"].entries()) {
    if (k > 0) {
      await page.getByRole("button", { name: "添加文章" }).click();
      await expect(page.getByTestId("article-item")).toHaveCount(k + 1);
      // A new, empty article is not shown as wrong before anyone tried to upload it.
      await expect(page.getByLabel("有不符合规则的字段")).toHaveCount(0);
      await expect(page.getByLabel("标题（必填）")).not.toHaveAttribute("aria-invalid", "true");
      await expect(page.getByRole("alert").filter({ hasText: /必填|不能为空|请选择/ })).toHaveCount(0);
    }
    await page.getByLabel("标题（必填）").fill(want[n].title);
    await page.getByLabel("作者").fill(want[n].author);
    await page.getByLabel("摘要").fill(want[n].digest);
    await typeBody(page, want[n].body);
  }
  await expect.poll(() => titles(page)).toEqual([want.甲.title, want.乙.title, want.丙.title]);

  // The editor shows the article selected, wherever it moves.
  const shows = async (n: string) => {
    await expect(page.getByLabel("标题（必填）")).toHaveValue(want[n].title);
    await expect(page.getByLabel("作者")).toHaveValue(want[n].author);
    await expect(page.getByLabel("摘要")).toHaveValue(want[n].digest);
    await expect(editor(page)).toHaveText(want[n].body);
  };
  const select = (n: string) => page.getByTestId("article-list").getByTestId("article-title").getByText(want[n].title, { exact: true }).click();
  await select("甲");
  await shows("甲");
  await page.getByRole("button", { name: "第 1 篇下移" }).click();
  await expect.poll(() => titles(page)).toEqual([want.乙.title, want.甲.title, want.丙.title]);
  await shows("甲");
  await page.getByRole("button", { name: "第 2 篇下移" }).click();
  await expect.poll(() => titles(page)).toEqual([want.乙.title, want.丙.title, want.甲.title]);
  await shows("甲");

  // Drag with the mouse: 甲 (third) onto the first place.
  const handle = page.getByRole("button", { name: /拖动排序：第 3 篇/ });
  const target = page.getByTestId("article-item").first();
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  for (let s = 1; s <= 12; s++) await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + ((to.y + 4 - from.y) * s) / 12);
  await page.mouse.up();
  await expect.poll(() => titles(page)).toEqual([want.甲.title, want.乙.title, want.丙.title]);
  await shows("甲");
  await page.getByRole("button", { name: "第 1 篇下移" }).click();
  await expect.poll(() => titles(page)).toEqual([want.乙.title, want.甲.title, want.丙.title]);
  await shows("甲");

  // Edit the selected article: only it changes.
  await page.getByLabel("标题（必填）").fill(`${want.甲.title}（改）`);
  want.甲.title = `${want.甲.title}（改）`;
  await page.getByLabel("作者").fill("作者甲改");
  want.甲.author = "作者甲改";
  await expect.poll(() => titles(page)).toEqual([want.乙.title, want.甲.title, want.丙.title]);
  await saved(page);
  await expectAccessible(page);

  // After a reload, every field of every article, in the new order.
  await page.reload();
  await expect.poll(() => titles(page)).toEqual([want.乙.title, want.甲.title, want.丙.title]);
  for (const n of ["乙", "甲", "丙"]) {
    await select(n);
    await shows(n);
  }
});

test("a picture inserted with 插入图片 or pasted stays when the marketer goes on typing", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await newDraft(page, accountId);
  await page.getByLabel("标题（必填）").fill(`图片不被替换 ${stamp}`);
  await typeBody(page, "开头一段。");

  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("toolbar").locator("button", { hasText: "插入图片" }).click();
  await (await chooser).setFiles(path.join(dir, "插图.png"));
  await expect(editor(page).locator("img")).toHaveCount(1, { timeout: 20_000 });
  await page.keyboard.type("图后的文字");
  await expect.poll(() => bodyParts(page)).toEqual(["开头一段。", "img", "图后的文字"]);

  await pasteIntoEditor(page, { png });
  await expect(editor(page).locator("img")).toHaveCount(2, { timeout: 20_000 });
  await page.keyboard.type("粘贴后的文字");
  await expect.poll(() => bodyParts(page)).toEqual(["开头一段。", "img", "图后的文字", "img", "粘贴后的文字"]);
  await saved(page);
  await page.reload();
  await expect.poll(() => bodyParts(page)).toEqual(["开头一段。", "img", "图后的文字", "img", "粘贴后的文字"]);
});

test("a heading and a table pasted from a web page stay a heading and a table, before and after a reload", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await newDraft(page, accountId);
  await page.getByLabel("标题（必填）").fill(`粘贴标题和表格 ${stamp}`);
  await typeBody(page, "第一段文字。");
  // Pasted at the end of a paragraph: the heading used to join that paragraph as plain text.
  await pasteIntoEditor(page, { html: "<h2>会员日活动说明</h2>", text: "会员日活动说明" });
  await expect(editor(page).locator("h2")).toHaveText("会员日活动说明");
  await expect(editor(page).locator(":scope > p").first()).toHaveText("第一段文字。");
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("表格前的一段。");
  const table =
    '<meta charset="utf-8"><table style="border-collapse:collapse"><tbody><tr><th>门店</th><th>营业时间</th></tr>' +
    "<tr><td>南京西路店</td><td>10:00–22:00</td></tr><tr><td>徐家汇店</td><td>09:30–21:30</td></tr></tbody></table>";
  await pasteIntoEditor(page, { html: table, text: "门店\t营业时间\n南京西路店\t10:00–22:00\n徐家汇店\t09:30–21:30" });
  const cells = () => editor(page).locator("table td, table th").allInnerTexts();
  await expect.poll(cells).toEqual(["门店", "营业时间", "南京西路店", "10:00–22:00", "徐家汇店", "09:30–21:30"]);
  // Typing goes on after the table, and nothing before it moved.
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("表格后的文字");
  // The article's own paragraphs (a table cell holds paragraphs too), empty ones left out.
  const paragraphs = async () => (await editor(page).locator(":scope > p").allInnerTexts()).map((x) => x.trim()).filter(Boolean);
  await expect.poll(paragraphs).toEqual(["第一段文字。", "表格前的一段。", "表格后的文字"]);
  await saved(page);
  await page.reload();
  await expect(editor(page).locator("h2")).toHaveText("会员日活动说明");
  await expect.poll(cells).toEqual(["门店", "营业时间", "南京西路店", "10:00–22:00", "徐家汇店", "09:30–21:30"]);
  await expect(editor(page).locator("th").first()).toHaveText("门店");
  // The phone preview shows the table as the reader will see it.
  const preview = page.getByTestId("phone-preview");
  await preview.getByTestId("preview-article").first().click();
  const content = preview.getByTestId("preview-content");
  await expect(content.locator("h2")).toHaveText("会员日活动说明");
  await expect(content.locator("table td").first()).toHaveText("南京西路店");
  await expectAccessible(page);
});

test("a video's title is not given to the picture uploaded after it", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await page.goto(`/${accountId}/media`);
  const videoTitle = `视频标题 ${stamp}`;
  const kind = page.getByLabel("类型", { exact: true }).first();
  const files = page.locator('input[type="file"][multiple]');
  const jobs = page.getByTestId("upload-job");
  await kind.selectOption("video");
  await page.getByLabel("视频标题（必填）").fill(videoTitle);
  await page.getByLabel("视频简介").fill("视频的简介");
  const mp4 = path.join(dir, `clip-${stamp}.mp4`);
  fs.writeFileSync(mp4, mp4Bytes(64 * 1024));
  await submitAndExpectOutcome(page, () => files.setInputFiles(mp4), {
    want: "success",
    success: jobs.filter({ hasText: `clip-${stamp}.mp4` }).filter({ hasText: "已上传" }),
    timeout: 30_000,
  });

  await kind.selectOption("image");
  const pic = path.join(dir, `pic-${stamp}.png`);
  fs.writeFileSync(pic, png);
  await submitAndExpectOutcome(page, () => files.setInputFiles(pic), {
    want: "success",
    success: jobs.filter({ hasText: `pic-${stamp}.png` }).filter({ hasText: "已上传" }),
    timeout: 30_000,
  });
  // Back to video: the last video's title is not offered for the next one either.
  await kind.selectOption("video");
  await expect(page.getByLabel("视频标题（必填）")).toHaveValue("");

  await page.reload();
  await expect(page.getByTestId("media-row").filter({ hasText: `clip-${stamp}.mp4` })).toContainText(videoTitle);
  const picRow = page.getByTestId("media-row").filter({ hasText: `pic-${stamp}` });
  await expect(picRow).toHaveCount(1);
  await expect(picRow).not.toContainText(videoTitle);
  await expectAccessible(page);
});

test("preview on my WeChat from the editor: without a WeChat ID it says where to add one; with qunfa_tester it lands in the sandbox inbox", async ({
  page,
}) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await page.goto("/profile");
  const wechatId = page.getByLabel("我的微信号");
  await expect(wechatId).toBeEnabled();
  await wechatId.fill("");
  await submitAndExpectOutcome(page, page.getByRole("button", { name: "保存" }), { want: "success" });

  const title = `预览图文 ${stamp}`;
  await newDraft(page, accountId);
  const draftUrl = page.url();
  await page.getByLabel("标题（必填）").fill(title);
  await page.getByTestId("cover-file").setInputFiles(cover);
  await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
  await typeBody(page, "预览到我的微信。");
  await saved(page);
  await expect(page.getByRole("button", { name: "预览到我的微信", exact: true })).toBeDisabled();
  // Why the button cannot be used is said once, beside it (it was also a banner on top of the page).
  await expect(page.getByTestId("preview-gate")).toHaveCount(1);
  await expect(page.getByTestId("preview-gate")).toContainText("请先在个人资料中填写你的微信号");
  await expect(page.getByRole("button", { name: "预览到我的微信", exact: true })).toHaveAccessibleDescription(/请先在个人资料中填写你的微信号/);
  await expect(page.getByText(/请先在个人资料中填写你的微信号/)).toHaveCount(1);
  await page.getByRole("link", { name: "去个人资料填写" }).click();
  await page.waitForURL(/\/profile$/);
  await expect(wechatId).toBeEnabled();
  await wechatId.fill("qunfa_tester");
  await submitAndExpectOutcome(page, page.getByRole("button", { name: "保存" }), { want: "success" });
  // Previews go only to an ID an admin confirmed; the first admin confirms their own.
  await confirmOwnWechatId(page, "qunfa_tester");

  await page.goto(draftUrl);
  await expect(page.getByLabel("标题（必填）")).toHaveValue(title);
  await expect(page.getByText("将发送到 qunfa_tester")).toBeVisible();
  await expectAccessible(page);
  const { alerts } = await submitAndExpectOutcome(page, page.getByRole("button", { name: "预览到我的微信", exact: true }), {
    want: "success",
    success: page.getByTestId("preview-result").getByText(/预览已发送到 qunfa_tester/),
    timeout: 30_000,
  });
  expect(alerts).toEqual([]);
  await page.goto("/sandbox?who=qunfa_tester");
  await expect(page.getByTestId("inbox").locator("article").first()).toContainText(title);
});

interface ArticleWant {
  title: string;
  author: string;
  digest: string;
  body: string;
  source: string;
  /** The cover's picture address, or null for none. */
  cover: string | null;
  comment: boolean;
  fans: boolean;
}

/** The editor shows exactly these fields for the article selected now. */
async function showsArticle(page: Page, w: ArticleWant) {
  await expect(page.getByLabel("标题（必填）")).toHaveValue(w.title);
  await expect(page.getByLabel("作者")).toHaveValue(w.author);
  await expect(page.getByLabel("摘要")).toHaveValue(w.digest);
  await expect(page.getByLabel("原文链接（阅读原文）")).toHaveValue(w.source);
  await expect(editor(page)).toHaveText(w.body);
  const cover = page.getByRole("img", { name: /^封面：/ });
  if (w.cover) await expect(cover).toHaveAttribute("src", w.cover);
  else await expect(cover).toHaveCount(0);
  await expect(page.getByLabel("打开留言")).toBeChecked({ checked: w.comment });
  await expect(page.getByLabel("仅粉丝可留言")).toBeChecked({ checked: w.fans });
}

/** The list in this order, and every field of every article, each selected in turn. */
async function expectArticles(page: Page, order: ArticleWant[]) {
  await expect.poll(() => titles(page)).toEqual(order.map((w) => w.title));
  for (const w of order) {
    await page.getByTestId("article-list").getByTestId("article-title").getByText(w.title, { exact: true }).click();
    await showsArticle(page, w);
  }
}

async function fillArticle(page: Page, w: ArticleWant, coverFile?: string) {
  await page.getByLabel("标题（必填）").fill(w.title);
  await page.getByLabel("作者").fill(w.author);
  await page.getByLabel("摘要").fill(w.digest);
  await page.getByLabel("原文链接（阅读原文）").fill(w.source);
  await typeBody(page, w.body);
  if (w.comment) await page.getByLabel("打开留言").check();
  if (w.fans) await page.getByLabel("仅粉丝可留言").check();
  if (coverFile) {
    await page.getByTestId("cover-file").setInputFiles(coverFile);
    await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
    w.cover = await page.getByRole("img", { name: /^封面：/ }).getAttribute("src");
  }
}

async function dragArticle(page: Page, fromN: number, title: string, toIndex: number) {
  const handle = page.getByRole("button", { name: `拖动排序：第 ${fromN} 篇 ${title}` });
  const target = page.getByTestId("article-item").nth(toIndex);
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  for (let s = 1; s <= 12; s++) await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 + ((to.y + 4 - from.y) * s) / 12);
  await page.mouse.up();
}

test("every field of every article survives reorders (drag and buttons), an edit, a removal, Ctrl+Z in one article, a reload, and two tabs saving the same draft", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const covers: string[] = [];
  for (const [k, color] of ["#c33", "#3c3"].entries()) {
    covers[k] = path.join(dir, `封面${k}-${stamp}.jpg`);
    fs.writeFileSync(
      covers[k],
      await sharp({ create: { width: 300, height: 170, channels: 3, background: color } })
        .jpeg()
        .toBuffer(),
    );
  }
  const mk = (n: string, o: Partial<ArticleWant> = {}): ArticleWant => ({
    title: `全字段${n} ${stamp}`,
    author: `作者${n}`,
    digest: `摘要${n}`,
    body: `正文${n}。`,
    source: "",
    cover: null,
    comment: false,
    fans: false,
    ...o,
  });
  const 甲 = mk("甲", { source: "https://example.com/jia", comment: true, fans: true });
  const 乙 = mk("乙", { comment: true });
  const 丙 = mk("丙", { source: "https://example.com/bing" });
  const 丁 = mk("丁");

  await newDraft(page, accountId);
  const url = page.url();
  await fillArticle(page, 甲, covers[0]);
  for (const [w, file] of [[乙], [丙, covers[1]], [丁]] as [ArticleWant, string?][]) {
    await page.getByRole("button", { name: "添加文章" }).click();
    await fillArticle(page, w, file);
  }
  await expectArticles(page, [甲, 乙, 丙, 丁]);

  // Reorder with the buttons and with the mouse.
  await page.getByRole("button", { name: "第 1 篇下移" }).click();
  await expectArticles(page, [乙, 甲, 丙, 丁]);
  await dragArticle(page, 4, 丁.title, 0);
  await expectArticles(page, [丁, 乙, 甲, 丙]);

  // Edit one article: only it changes.
  await page.getByTestId("article-list").getByTestId("article-title").getByText(丙.title, { exact: true }).click();
  await page.getByLabel("摘要").fill("摘要丙改");
  丙.digest = "摘要丙改";
  await page.getByLabel("打开留言").check();
  丙.comment = true;
  await expectArticles(page, [丁, 乙, 甲, 丙]);

  // Remove the first article.
  await page.getByRole("button", { name: "删除第 1 篇" }).click();
  await expectArticles(page, [乙, 甲, 丙]);

  // Ctrl+Z in one article takes back only what was typed there.
  await page.getByTestId("article-list").getByTestId("article-title").getByText(甲.title, { exact: true }).click();
  await typeBody(page, "甲追加");
  甲.body = `${甲.body}甲追加`;
  await page.getByTestId("article-list").getByTestId("article-title").getByText(丙.title, { exact: true }).click();
  await typeBody(page, "撤销我");
  await expect(editor(page)).toHaveText(`${丙.body}撤销我`);
  await page.keyboard.press("ControlOrMeta+z");
  await expect(editor(page)).toHaveText(丙.body);
  await page.keyboard.press("ControlOrMeta+z");
  await expect(editor(page)).toHaveText(丙.body);
  await expectArticles(page, [乙, 甲, 丙]);
  await saved(page);

  await page.reload();
  await expectArticles(page, [乙, 甲, 丙]);

  // Two tabs on the same draft. Tab B opened before tab A saves; B's save is refused, visibly,
  // without losing what B typed, and merging keeps both sides.
  const b = await page.context().newPage();
  await b.goto(url);
  await expect(b.getByLabel("标题（必填）")).toBeVisible();
  await expect(b.getByTestId("save-status")).toContainText("已保存");

  await page.getByTestId("article-list").getByTestId("article-title").getByText(甲.title, { exact: true }).click();
  await page.getByLabel("标题（必填）").fill(`${甲.title}A`);
  甲.title = `${甲.title}A`;
  await page.getByTestId("article-list").getByTestId("article-title").getByText(丙.title, { exact: true }).click();
  await page.getByLabel("摘要").fill("摘要丙A");
  await saved(page);

  await b.getByTestId("article-list").getByTestId("article-title").getByText(丙.title, { exact: true }).click();
  await b.getByLabel("作者").fill("作者丙B");
  await b.getByLabel("摘要").fill("摘要丙B");
  // The same person in two tabs: told as their own other tab, not as someone else.
  await expect(b.getByTestId("conflict")).toContainText("你在另一个窗口或标签页中的更改已于", { timeout: 20_000 });
  await expect(b.getByTestId("conflict")).not.toContainText("对方");
  await expect(b.getByTestId("save-status")).toHaveText("保存冲突");
  await expect(b.getByLabel("作者")).toHaveValue("作者丙B");
  await expect(b.getByLabel("摘要")).toHaveValue("摘要丙B");
  await expectAccessible(b);

  await b.getByRole("button", { name: "合并两边的更改" }).click();
  await saved(b);
  丙.author = "作者丙B";
  丙.digest = "摘要丙B";
  // Both changed 丙's digest: B's stays in the editor, A's is listed to copy back.
  await expect(b.getByTestId("merge-clashes")).toContainText("第 3 篇文章的摘要（另一个窗口的内容）：摘要丙A");
  await expectArticles(b, [乙, 甲, 丙]);
  await b.reload();
  await expectArticles(b, [乙, 甲, 丙]);
  await page.reload();
  await expectArticles(page, [乙, 甲, 丙]);
  await b.close();
});
