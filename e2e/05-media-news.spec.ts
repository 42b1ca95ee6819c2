import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { amrBytes, mp4Bytes, noisyImage } from "../test/support/media-fixtures";
import { createUserWithRole, expectAccessible, sandboxAccount, signInAsAdmin, submitAndExpectOutcome } from "./fixtures";

test.describe.configure({ mode: "serial" });

// Fixture files are made at run time (nothing binary is committed).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-e2e-media-"));
const file = (name: string, bytes: Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};
let bigPng = "";
let smallPng: Buffer;
test.beforeAll(async () => {
  const png = await noisyImage(1200, 900);
  expect(png.length).toBeGreaterThan(3 * 1024 * 1024);
  bigPng = file("春季封面.png", png);
  smallPng = await sharp({ create: { width: 60, height: 40, channels: 3, background: "#d33" } })
    .png()
    .toBuffer();
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** "JPG · 58.3 KB · 900×675" → 58.3 */
function kbOf(text: string): number {
  const m = /(JPG) · ([\d.]+) (KB|MB)/.exec(text);
  expect(m, text).not.toBeNull();
  return m![3] === "MB" ? Number(m![2]) * 1024 : Number(m![2]);
}

async function newDraft(page: Page, accountId: string) {
  await page.goto(`/${accountId}/news`);
  await page.getByRole("button", { name: "新建图文" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));
  await expect(page.getByLabel("标题（必填）")).toBeVisible();
}

/** Pastes a picture into the content editor the way the clipboard delivers it (a File). */
async function pasteImage(page: Page, bytes: Buffer, name: string) {
  await page.getByTestId("content-editor").click();
  await page.evaluate(
    ({ b64, name }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], name, { type: "image/png" }));
      const target = document.querySelector('[data-testid="content-editor"]')!;
      target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    },
    { b64: bytes.toString("base64"), name },
  );
}

/** dnd-kit's keyboard sensor: Space picks the article up, ArrowUp moves it, Space drops it. */
async function keyboardMoveUp(page: Page, n: number) {
  await page.getByRole("button", { name: new RegExp(`拖动排序：第 ${n} 篇`) }).focus();
  await page.keyboard.press("Space");
  await page.waitForTimeout(250);
  await page.keyboard.press("ArrowUp");
  await page.waitForTimeout(250);
  await page.keyboard.press("Space");
}

async function titlesInList(page: Page) {
  return page.getByTestId("article-list").getByTestId("article-title").allInnerTexts();
}

test("media library: several files at once, each with its progress; a 3 MB PNG cover becomes a JPG under 64 KB; what cannot be fixed is refused naming the limit", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await sandboxAccount(page);
  await page.getByRole("link", { name: "素材库" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("素材库");
  await expect(page.getByText("素材库还是空的。")).toBeVisible();
  await expectAccessible(page);

  // Two covers at once: the 3 MB PNG and a small one.
  await page.getByLabel("类型", { exact: true }).first().selectOption("thumb");
  await page.locator('input[type="file"][multiple]').setInputFiles([bigPng, file("small.png", smallPng)]);
  const jobs = page.getByTestId("upload-job");
  await expect(jobs).toHaveCount(2);
  await expect(jobs.filter({ hasText: "已上传" })).toHaveCount(2, { timeout: 30_000 });
  const big = jobs.filter({ hasText: "春季封面.png" });
  await expect(big.getByTestId("conversion-note")).toContainText(/PNG 3(\.\d)? MB → JPG [\d.]+ KB/);
  const kb = Number(/JPG ([\d.]+) KB/.exec(await big.getByTestId("conversion-note").innerText())![1]);
  expect(kb).toBeLessThan(64);
  await expect(big.getByTestId("upload-result")).toHaveText("已上传，可在群发和图文中使用");
  await big.getByText("技术详情").click();
  await expect(big.getByTestId("technical-details")).toContainText(/media_id\s*PM_/);

  // An in-article image gets a WeChat URL; a voice of 5 s goes through.
  await page.getByLabel("类型", { exact: true }).first().selectOption("inarticle");
  await page.locator('input[type="file"][multiple]').setInputFiles(file("dot.png", smallPng));
  const dot = jobs.filter({ hasText: "dot.png" });
  await expect(dot.getByTestId("upload-result")).toHaveText("已上传，可插入图文正文", { timeout: 20_000 });
  await dot.getByText("技术详情").click();
  await expect(dot.getByTestId("technical-details")).toContainText(/URL\s*http.*\/sandbox-api\/mmbiz\/IMG_/);
  await page.getByLabel("类型", { exact: true }).first().selectOption("voice");
  await page.getByLabel("临时素材（3 天后过期）").check();
  await page.locator('input[type="file"][multiple]').setInputFiles(file("问候.amr", amrBytes(5)));
  await expect(jobs.filter({ hasText: "问候.amr" })).toContainText("已上传", { timeout: 20_000 });

  // Refused in the browser, naming the limit: a 12 MB MP4, an AMR over 2 MB, a PNG named .mp3.
  await submitAndExpectOutcome(
    page,
    () => page.locator('input[type="file"][multiple]').setInputFiles([file("long.amr", amrBytes(1400)), file("song.mp3", smallPng)]),
    { want: "error" },
  );
  await expect(jobs.filter({ hasText: "long.amr" })).toContainText("语音不能超过 2 MB");
  await expect(jobs.filter({ hasText: "song.mp3" })).toContainText("语音只支持 AMR/MP3，这个文件的内容是 PNG");
  // A file of no known format (a PDF, a text renamed .mp3) says so in words, not with a "?".
  await submitAndExpectOutcome(
    page,
    () => page.locator('input[type="file"][multiple]').setInputFiles(file("notes.mp3", Buffer.from("plain text renamed to look like a song"))),
    { want: "error" },
  );
  await expect(jobs.filter({ hasText: "notes.mp3" })).toContainText("语音只支持 AMR/MP3，无法识别这个文件的格式（按文件内容判断，不看文件名）");
  await expect(jobs.filter({ hasText: "notes.mp3" })).not.toContainText("?");
  await page.getByLabel("类型", { exact: true }).first().selectOption("video");
  await page.getByLabel("临时素材（3 天后过期）").check();
  await page.locator('input[type="file"][multiple]').setInputFiles(file("big.mp4", mp4Bytes(12 * 1024 * 1024)));
  await expect(jobs.filter({ hasText: "big.mp4" })).toContainText("视频不能超过 10 MB，这个文件有 12 MB");
  await expectAccessible(page);

  // The library lists them with thumbnail, type, size, media_id, uploader; search and filter work.
  await page.reload();
  await expect(page.getByTestId("media-row")).toHaveCount(4);
  const row = page.getByTestId("media-row").filter({ hasText: "春季封面.jpg" });
  await expect(row).toContainText("封面（缩略图）");
  await expect(row.getByTestId("technical-details")).toContainText(/media_id\s*PM_/);
  await expect(row).toContainText("Admin Wang");
  await expect(row.getByRole("img", { name: "春季封面.jpg" })).toBeVisible();
  await expect(page.getByTestId("media-row").filter({ hasText: "问候.amr" })).toContainText(/过期/);
  await page.getByLabel("类型", { exact: true }).last().selectOption("thumb");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByTestId("media-row")).toHaveCount(2);
  await page.getByLabel("搜索", { exact: true }).fill("春季");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.getByTestId("media-row")).toHaveCount(1);
  await expectAccessible(page);
});

test("news: three articles with a pasted picture and a large PNG cover, reordered, found again after a reload, uploaded to WeChat with its media_id", async ({
  page,
}) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await page.goto(`/${accountId}/news`);
  await expect(page.getByText("还没有图文草稿。")).toBeVisible();
  await expectAccessible(page);
  await newDraft(page, accountId);

  // Article 1: a large PNG cover uploaded on the spot becomes a JPG under 64 KB.
  await page.getByLabel("标题（必填）").fill("春季新品发布");
  await page.getByLabel("作者").fill("小王");
  await page.getByLabel("摘要").fill("三款新品，一次看完");
  await page.getByTestId("cover-file").setInputFiles(bigPng);
  await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
  expect(kbOf(await page.getByTestId("cover-info").innerText())).toBeLessThan(64);
  await expect(page.getByTestId("conversion-note")).toContainText(/PNG 3(\.\d)? MB → JPG/);
  await page.getByTestId("content-editor").click();
  await page.keyboard.type("今年春天，我们带来三款新品。");
  await pasteImage(page, smallPng, "screenshot.png");
  const pasted = page.getByTestId("content-editor").locator("img");
  await expect(pasted).toHaveAttribute("src", /\/sandbox-api\/mmbiz\/IMG_/, { timeout: 20_000 });

  // Articles 2 and 3 take their cover from the library.
  for (const title of ["第二篇：新品细节", "第三篇：购买方式"]) {
    await page.getByRole("button", { name: "添加文章" }).click();
    await page.getByLabel("标题（必填）").fill(title);
    await page.getByRole("button", { name: "从素材库选择" }).click();
    const dialog = page.getByRole("dialog", { name: "选择封面" });
    await dialog
      .getByRole("button", { name: /春季封面\.jpg/ })
      .first()
      .click();
    await expect(page.getByTestId("cover-info")).toContainText("JPG");
    await page.getByTestId("content-editor").click();
    await page.keyboard.type(`${title} 的正文。`);
  }
  await expect.poll(() => titlesInList(page)).toEqual(["春季新品发布", "第二篇：新品细节", "第三篇：购买方式"]);
  const preview = page.getByTestId("phone-preview");
  await expect(preview.getByTestId("preview-article")).toHaveText([/春季新品发布/, /第二篇：新品细节/, /第三篇：购买方式/]);

  // Reorder by keyboard on the drag handle (dnd-kit): the third article moves up one place.
  await keyboardMoveUp(page, 3);
  await expect.poll(() => titlesInList(page)).toEqual(["春季新品发布", "第三篇：购买方式", "第二篇：新品细节"]);
  // …and with the buttons.
  // Each move buttons' names follow the list's order, which settles one render after a click: wait
  // for it before the next click, or the second click can land on the wrong article's button.
  await page.getByRole("button", { name: "第 3 篇上移" }).click();
  await expect.poll(() => titlesInList(page)).toEqual(["春季新品发布", "第二篇：新品细节", "第三篇：购买方式"]);
  await page.getByRole("button", { name: "第 2 篇上移" }).click();
  await expect.poll(() => titlesInList(page)).toEqual(["第二篇：新品细节", "春季新品发布", "第三篇：购买方式"]);
  await page.getByRole("button", { name: "第 1 篇下移" }).click();
  await expect.poll(() => titlesInList(page)).toEqual(["春季新品发布", "第二篇：新品细节", "第三篇：购买方式"]);
  await keyboardMoveUp(page, 3);
  await expect.poll(() => titlesInList(page)).toEqual(["春季新品发布", "第三篇：购买方式", "第二篇：新品细节"]);
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });
  await expectAccessible(page);

  // A reload finds everything.
  await page.reload();
  await expect(page.getByLabel("标题（必填）")).toHaveValue("春季新品发布");
  await expect.poll(() => titlesInList(page)).toEqual(["春季新品发布", "第三篇：购买方式", "第二篇：新品细节"]);
  await expect(page.getByLabel("作者")).toHaveValue("小王");
  await expect(page.getByTestId("cover-info")).toContainText("JPG");
  await expect(page.getByTestId("content-editor")).toContainText("今年春天，我们带来三款新品。");
  await expect(page.getByTestId("content-editor").locator("img")).toHaveAttribute("src", /\/sandbox-api\/mmbiz\/IMG_/);
  await expect(preview.getByTestId("preview-article")).toHaveText([/春季新品发布/, /第三篇：购买方式/, /第二篇：新品细节/]);

  // Upload to WeChat: the media_id comes back and is kept with this version.
  await submitAndExpectOutcome(page, page.getByRole("button", { name: "上传到微信" }), { want: "success", timeout: 30_000 });
  const last = page.getByTestId("news-last-upload");
  await expect(last).toContainText("已是最新", { timeout: 30_000 });
  await last.getByText("技术详情").click();
  await expect(last.getByTestId("technical-details")).toContainText(/media_id\s*NEWS_[A-Za-z0-9_-]+/);
  const mediaId = /NEWS_[A-Za-z0-9_-]+/.exec(await last.getByTestId("technical-details").innerText())![0];
  await expect(page.getByText("已是最新")).toBeVisible();
  await page.goto(`/${accountId}/news`);
  await page.getByTestId("news-row").first().getByText("技术详情").click();
  await expect(page.getByTestId("news-row").first().getByTestId("technical-details")).toContainText(mediaId);
  await expect(page.getByTestId("news-row").first()).toContainText("春季新品发布");
  await expectAccessible(page);

  // Editing afterwards makes a new version; the upload stays with the one it came from.
  await page.getByRole("link", { name: "春季新品发布" }).click();
  await page.getByLabel("摘要").fill("三款新品，一次看完！");
  await expect(page.getByText("上传后有修改")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });
});

test("an over-long title and a ninth article are refused with the rule named; nothing typed is lost", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await newDraft(page, accountId);
  const long = "标".repeat(65);
  await page.getByLabel("标题（必填）").fill(long);
  await expect(page.getByText("最多 64 个字符").first()).toBeVisible();
  await expect(page.getByTestId("limit-count").first()).toHaveText("65/64");
  await submitAndExpectOutcome(page, page.getByRole("button", { name: "上传到微信" }), { want: "error" });
  const problem = page.getByTestId("upload-problem");
  await expect(problem).toContainText("有不符合微信规则的地方");
  await expect(problem).toContainText("第 1 篇 · 标题（必填）：最多 64 个字符");
  await expect(problem).toContainText("第 1 篇 · 封面：请选择封面");
  await expect(problem).toContainText("第 1 篇 · 正文（必填）：正文不能为空");
  // The draft keeps the over-long title (saved, found again after a reload).
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });
  await page.reload();
  await expect(page.getByLabel("标题（必填）")).toHaveValue(long);

  for (let i = 2; i <= 8; i++) await page.getByRole("button", { name: "添加文章" }).click();
  await expect(page.getByTestId("article-item")).toHaveCount(8);
  await page.getByRole("button", { name: "添加文章" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "一条图文消息最多 8 篇文章（微信规则）" })).toBeVisible();
  await expect(page.getByTestId("article-item")).toHaveCount(8);
  await expectAccessible(page);
});

test("an article containing <script> and onerror= renders inert in the preview", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await newDraft(page, accountId);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.getByLabel("标题（必填）").fill("安全测试");
  await page.getByRole("button", { name: "HTML" }).click();
  await page
    .getByTestId("content-html")
    .fill(
      '<p style="color:#c00">正文<script>window.__pwned = 1; alert(1)</script></p><img src="x-broken" onerror="window.__pwned = 2; alert(2)"><a href="https://shop.example/buy">去购买</a>',
    );
  await expect(page.getByTestId("stripped-links")).toContainText("https://shop.example/buy");
  const preview = page.getByTestId("phone-preview");
  await preview.getByTestId("preview-article").first().click();
  const content = preview.getByTestId("preview-content");
  await expect(content).toContainText("正文");
  await expect(content.locator("script")).toHaveCount(0);
  await expect(content.locator("img")).toHaveCount(1);
  expect(await content.locator("img").getAttribute("onerror")).toBeNull();
  await expect(content.locator("p")).toHaveAttribute("style", /color/);
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await expectAccessible(page);

  // The saved draft holds no script either.
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });
  await page.reload();
  await page.getByRole("button", { name: "HTML" }).click();
  await expect(page.getByTestId("content-html")).not.toHaveValue(/script|onerror/);
  expect(dialogs).toEqual([]);
});

test("a failed save loses nothing: this browser's copy is restored after a reload, then saved", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await newDraft(page, accountId);
  await page.getByLabel("标题（必填）").fill("断网也不丢");
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });
  // The server becomes unreachable for saves (server actions and the leave-page save).
  const offline = (route: import("@playwright/test").Route) => {
    const r = route.request();
    return r.method() === "POST" && (!!r.headers()["next-action"] || r.url().endsWith("/save")) ? route.abort() : route.continue();
  };
  await page.route("**/*", offline);
  await page.getByLabel("摘要").fill("断网时写下的摘要");
  await expect(page.getByTestId("save-status")).toContainText("保存失败", { timeout: 15_000 });
  await page.reload();
  await expect(page.getByText(/已恢复本浏览器在 .* 保存的未提交更改/)).toBeVisible();
  await expect(page.getByLabel("摘要")).toHaveValue("断网时写下的摘要");
  await page.unroute("**/*", offline);
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 20_000 });
  await page.reload();
  await expect(page.getByLabel("摘要")).toHaveValue("断网时写下的摘要");
  await expect(page.getByText(/已恢复本浏览器/)).toHaveCount(0);
});

test("two people editing one draft are told who saved and when, not silently overwritten", async ({ page, browser }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await newDraft(page, accountId);
  const url = page.url();
  const editor = await createUserWithRole(page, browser, "editor", `news-editor-${Date.now()}@qunfa.test`);
  await editor.goto(url);
  await expect(editor.getByLabel("标题（必填）")).toBeVisible();
  await page.goto(url);

  await page.getByLabel("标题（必填）").fill("管理员写的标题");
  await expect(page.getByTestId("save-status")).toContainText("已保存第 2 版", { timeout: 15_000 });
  await editor.getByLabel("标题（必填）").fill("编辑写的标题");
  const conflict = editor.getByTestId("conflict");
  await expect(conflict).toContainText(/这份草稿已被 Admin Wang <admin@qunfa\.test> 于 .+ 保存为第 2 版/, { timeout: 15_000 });
  await expect(editor.getByLabel("标题（必填）")).toHaveValue("编辑写的标题");
  await expectAccessible(editor);
  // A colleague is named, never "the other side".
  await expect(conflict).toContainText("也可以载入 Admin Wang 的版本");
  await editor.getByRole("button", { name: "载入 Admin Wang 的版本" }).click();
  await expect(editor.getByLabel("标题（必填）")).toHaveValue("管理员写的标题");

  await editor.getByLabel("作者").fill("小编");
  await expect(editor.getByTestId("save-status")).toContainText("已保存第 3 版", { timeout: 15_000 });
  await page.getByLabel("作者").fill("管理员");
  await expect(page.getByTestId("conflict")).toContainText(/User editor .* 保存为第 3 版/, { timeout: 15_000 });
  await page.getByRole("button", { name: "用我的版本覆盖" }).click();
  await expect(page.getByTestId("save-status")).toContainText("已保存第 4 版", { timeout: 15_000 });
  await editor.reload();
  await expect(editor.getByLabel("作者")).toHaveValue("管理员");
});
