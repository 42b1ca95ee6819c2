import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { appRoutes, PUBLIC_PAGES } from "./routes";
import { expectAccessible, sandboxAccount, signInAsAdmin, withoutApproval } from "./fixtures";

// Each test finds or makes its data (ensureData), so one failure does not hide the others.
test.describe.configure({ mode: "default" });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
// A title at WeChat's limit (64 characters) with no space to break at: the picker and the results
// must cut or wrap it, never let it widen the page.
const LONG_TITLE = "2026年秋季会员日全场八折活动详细说明与常见问题解答含门店地址营业时间优惠券使用规则及会员积分兑换方法一览".slice(0, 64);
const SECOND_TITLE = "会员日购买指南";
const CAMPAIGN = "手机版式检查";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qunfa-e2e-phone-"));
let cover = "";
test.beforeAll(async () => {
  cover = path.join(dir, "phone-cover.png");
  fs.writeFileSync(
    cover,
    await sharp({ create: { width: 360, height: 200, channels: 3, background: "#2a7" } })
      .png()
      .toBuffer(),
  );
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Real ids for every dynamic segment, made through the console in the first test. */
const sample: { accountId?: string; newsId?: string; campaignId?: string; inviteToken?: string } = {};

/** The URL to open for each page of app/, with real ids; a page without one fails the sweep. */
function pageUrls(): { url: string; pattern: string; anonymous: boolean }[] {
  const { accountId, newsId, campaignId, inviteToken } = sample;
  const fill: Record<string, string | undefined> = {
    "/[accountId]": `/${accountId}`,
    "/[accountId]/audiences": `/${accountId}/audiences`,
    "/[accountId]/campaigns": `/${accountId}/campaigns`,
    "/[accountId]/campaigns/new": `/${accountId}/campaigns/new`,
    "/[accountId]/campaigns/[id]": `/${accountId}/campaigns/${campaignId}`,
    "/[accountId]/history": `/${accountId}/history`,
    "/[accountId]/media": `/${accountId}/media`,
    "/[accountId]/news": `/${accountId}/news`,
    "/[accountId]/news/[id]": `/${accountId}/news/${newsId}`,
    "/admin/accounts/[id]": `/admin/accounts/${accountId}`,
    "/admin/accounts/[id]/callbacks": `/admin/accounts/${accountId}/callbacks`,
    "/invite/[token]": `/invite/${inviteToken}`,
  };
  return appRoutes()
    .filter((r) => r.kind === "page")
    .map((r) => ({
      url: fill[r.pattern] ?? (r.pattern.includes("[") ? `unfilled ${r.pattern}` : r.pattern),
      pattern: r.pattern,
      anonymous: PUBLIC_PAGES.has(r.pattern),
    }));
}

/** Whether the page scrolls sideways, and if so the elements that reach past the window's right edge. */
async function sideways(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const wide: string[] = [];
    if (root.scrollWidth > width) {
      for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 1) continue;
        // Only the outermost offender of each branch: its children are wide because it is.
        if (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1) continue;
        wide.push(
          `${el.tagName.toLowerCase()}.${String(el.className).split(" ").slice(0, 4).join(".")} (${Math.round(r.right)}px) "${(el.innerText ?? "").slice(0, 30).replace(/\s+/g, " ")}"`,
        );
        if (wide.length >= 4) break;
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, wide };
  });
}

/** Buttons and status badges whose words break over more than one line (a squeezed 复制 went one character per line). */
async function wrappedControls(page: Page) {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("button, span.inline-flex.rounded.text-xs.font-medium"))) {
      if (!el.checkVisibility() || !el.innerText.trim()) continue;
      const tops: number[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of Array.from(range.getClientRects())) if (r.width > 0) tops.push(r.top);
      }
      // Lines, not text runs: a small index beside a larger title sits a few pixels higher on the same line.
      tops.sort((a, b) => a - b);
      const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > 10).length;
      // A long title may wrap; a short label (复制, 已完成, 删除) must not.
      if (lines > 1 && el.innerText.trim().length <= 16)
        out.push(`${el.tagName.toLowerCase()} "${el.innerText.replace(/\s+/g, " ").slice(0, 30)}" on ${lines} lines`);
    }
    return out;
  });
}

/**
 * Text squeezed into a column too narrow to read (a table's 标题 went one character per line): a
 * cell, definition or label with two or more characters in a box under 2.5em wide, or any text of a
 * short word (2 to 16 characters) laid out one character per line.
 */
async function squeezedText(page: Page) {
  return page.evaluate(() => {
    const out: string[] = [];
    const say = (el: Element, text: string, why: string) => {
      if (out.length < 6) out.push(`${el.tagName.toLowerCase()} "${text.replace(/\s+/g, " ").slice(0, 24)}" ${why}`);
    };
    /** How many lines the text inside an element takes. */
    const lines = (node: Node) => {
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = Array.from(range.getClientRects())
        .filter((r) => r.width > 0)
        .map((r) => r.top)
        .sort((a, b) => a - b);
      return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 4).length;
    };
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("td, th, dt, dd, label"))) {
      if (!el.checkVisibility() || el.closest(".sr-only")) continue;
      const text = el.innerText.trim();
      if (text.length < 2) continue;
      const style = getComputedStyle(el);
      const content = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      // 成功 fits in 2em on one line; a column narrower than 2.5em that wraps its words is squeezed.
      if (content > 0 && content < 2.5 * parseFloat(style.fontSize) && lines(el) > 1) say(el, text, `in a box ${Math.round(content)}px wide`);
    }
    // A card's label (a stacked table's column name) that runs into the value beside it.
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(".cell-label"))) {
      if (el.checkVisibility() && el.scrollWidth > el.clientWidth + 1) say(el, el.innerText, `runs ${el.scrollWidth - el.clientWidth}px into its value`);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? "").trim();
      const parent = n.parentElement;
      if (text.length < 2 || text.length > 16 || !parent || !parent.checkVisibility() || parent.closest(".sr-only, script, style")) continue;
      const count = lines(n);
      if (count > 1 && count >= text.replace(/\s/g, "").length) say(parent, text, `one character per line (${count} lines)`);
    }
    return out;
  });
}

/**
 * Buttons and links that a person cannot see: their box reaches past the window's left or right
 * edge, unless it sits in a box that scrolls sideways (from the keyboard too) within the window.
 */
async function offscreenControls(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("button, a[href], select, summary"))) {
      if (!el.checkVisibility() || el.closest(".sr-only")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      let scroller: HTMLElement | null = el.parentElement;
      for (; scroller && scroller !== document.body; scroller = scroller.parentElement) {
        const ox = getComputedStyle(scroller).overflowX;
        if ((ox === "auto" || ox === "scroll") && scroller.scrollWidth > scroller.clientWidth) break;
      }
      if (scroller && scroller !== document.body) {
        const box = scroller.getBoundingClientRect();
        // Scrolled into: the region itself is on screen and can take focus to be scrolled from the keyboard.
        if (box.left >= -1 && box.right <= width + 1 && scroller.tabIndex >= 0) continue;
      }
      if (r.left < -1 || r.right > width + 1)
        out.push(
          `${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute("aria-label") || "").replace(/\s+/g, " ").slice(0, 24)}" at ${Math.round(r.left)}–${Math.round(r.right)}px`,
        );
      if (out.length >= 6) break;
    }
    return out;
  });
}

/** The results chart: an svg of real size with bars in it (an empty box is a chart that never measured its width). */
async function chartProblems(page: Page) {
  const chart = page.locator("figure").filter({ has: page.locator("figcaption") });
  if ((await chart.count()) === 0) return ["no results chart"];
  const measure = () =>
    chart.first().evaluate((figure) => {
      const svg = figure.querySelector(".recharts-wrapper > svg.recharts-surface")?.getBoundingClientRect();
      const bars = Array.from(figure.querySelectorAll(".recharts-bar-rectangle path, .recharts-bar-rectangle rect"))
        .map((b) => b.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.height > 0);
      return { svg: svg ? { left: svg.left, right: svg.right, width: svg.width, height: svg.height } : null, bars: bars.length };
    });
  // The bars come in their own chunk after the page has loaded.
  await expect
    .poll(async () => (await measure()).bars, { timeout: 10_000 })
    .toBeGreaterThan(0)
    .catch(() => undefined);
  const m = await measure();
  const out: string[] = [];
  if (!m.svg || !(m.svg.width > 0 && m.svg.height > 0)) out.push(`chart svg ${m.svg ? `${m.svg.width}×${m.svg.height}` : "missing"}`);
  if (m.bars === 0) out.push("the chart draws no bars");
  if (m.svg && (m.svg.left < 0 || m.svg.right > page.viewportSize()!.width)) out.push(`chart svg at ${m.svg.left}–${m.svg.right}px`);
  return out;
}

/** Pages worth a look by a person: their full-page screenshots are kept with the test's output. */
const LOOK_AT = new Set(["/[accountId]/history", "/admin/history", "/admin/users", "/[accountId]/media", "/admin/audit", "/[accountId]/campaigns/[id]"]);

async function settle(page: Page) {
  await expect(page).toHaveTitle(/\S/);
  await page.waitForLoadState("load");
  // Hydration can change the layout (the results chart is drawn in the browser only).
  await page.waitForTimeout(300);
}

async function contextFor(browser: Browser, viewport: { width: number; height: number }, locale: "zh-CN" | "en", signedIn: BrowserContext | null) {
  const baseURL = test.info().project.use.baseURL!;
  const ctx = await browser.newContext({ viewport, baseURL, storageState: signedIn ? await signedIn.storageState() : undefined });
  await ctx.addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL }]);
  return ctx;
}

/**
 * The data the sweep opens, made through the console once: a two-article news whose first title
 * is LONG_TITLE, sent to a tag (a finished campaign with per-article results), and an open
 * invitation. A later test run alone (or after a failure restarted the worker) finds them again.
 */
async function ensureData(page: Page) {
  await signInAsAdmin(page);
  if (sample.campaignId) return;
  const accountId = await sandboxAccount(page);
  sample.accountId = accountId;
  await page.goto(`/${accountId}/history?q=${encodeURIComponent(CAMPAIGN)}`);
  const found = page.getByRole("link", { name: CAMPAIGN, exact: true });
  if ((await found.count()) > 0) {
    sample.campaignId = (await found.first().getAttribute("href"))!.split("/").pop()!;
    await page.goto(`/${accountId}/news`);
    const news = page.locator(`a[href^="/${accountId}/news/n"]`).filter({ hasText: LONG_TITLE.slice(0, 20) });
    sample.newsId = (await news.first().getAttribute("href"))!.split("/").pop()!;
  } else {
    await withoutApproval(page, accountId);
    // The news, made in the editor as 07 makes its drafts: the first cover uploaded, the second picked.
    await page.goto(`/${accountId}/news`);
    await page.getByRole("button", { name: "新建图文" }).click();
    await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));
    sample.newsId = page.url().split("/").pop()!;
    for (const [i, title] of [LONG_TITLE, SECOND_TITLE].entries()) {
      if (i > 0) await page.getByRole("button", { name: "添加文章" }).click();
      await page.getByLabel("标题（必填）").fill(title);
      if (i === 0) await page.getByTestId("cover-file").setInputFiles(cover);
      else {
        await page.getByRole("button", { name: "从素材库选择" }).click();
        await page
          .getByRole("dialog", { name: "选择封面" })
          .getByRole("button", { name: /phone-cover/ })
          .first()
          .click();
      }
      await expect(page.getByTestId("cover-info")).toContainText("JPG", { timeout: 30_000 });
      await page.getByTestId("content-editor").click();
      await page.keyboard.type(`${title.slice(0, 10)}：正文。`);
    }
    await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });

    // Sent to a tag from the compose form's picker, to a finished campaign with per-article results.
    await page.goto(`/${accountId}/campaigns/new`);
    await page.getByLabel("名称", { exact: true }).fill(CAMPAIGN);
    await page.getByLabel("消息类型").selectOption("mpnews");
    await page
      .getByRole("radio", { name: new RegExp(LONG_TITLE.slice(0, 20)) })
      .first()
      .check();
    await expect(page.locator('#audience-tagId option[value="110"]')).toHaveCount(1);
    await page.getByLabel("标签", { exact: true }).selectOption("110");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
    const campaignId = page.url().split("/").pop()!;
    await page.getByRole("button", { name: "立即发送" }).click();
    await page.getByRole("button", { name: "确认发送" }).click();
    await expect(page.getByText("已完成").first()).toBeVisible({ timeout: 45_000 });
    await expect(page.getByTestId("copyright-1")).toBeVisible({ timeout: 30_000 });
    sample.campaignId = campaignId;
  }

  // An invitation, for the invitation page (opened signed out).
  await page.goto("/admin/users");
  await page
    .getByLabel(/^(邮箱|Email)$/)
    .first()
    .fill(`phone-${Date.now()}@qunfa.test`);
  await page.locator("#invite-role").selectOption("viewer");
  await page.getByRole("button", { name: /生成邀请链接|Create invitation link/ }).click();
  const link = await page.locator("#invite-link").inputValue();
  sample.inviteToken = new URL(link).pathname.split("/").pop()!;
  expect(sample.inviteToken).toMatch(/\S{16,}/);
}

test("the sweep's data: a long-title two-article news, sent to a tag, and an invitation", async ({ page }) => {
  test.setTimeout(180_000);
  await ensureData(page);
  expect(sample.campaignId).toMatch(/^c[0-9a-f]+$/);
  expect(sample.newsId).toMatch(/^n[0-9a-f]{16}$/);
});

for (const locale of ["zh-CN", "en"] as const) {
  for (const [label, viewport] of [
    ["390×844", PHONE],
    ["1366×900", DESKTOP],
  ] as const) {
    test(`every page at ${label} in ${locale}: nothing scrolls sideways`, async ({ page, browser }) => {
      test.setTimeout(240_000);
      await ensureData(page);
      const signedIn = await contextFor(browser, viewport, locale, page.context());
      const anonymous = await contextFor(browser, viewport, locale, null);
      const routes = pageUrls();
      expect(routes.filter((r) => r.url.startsWith("unfilled")).map((r) => r.pattern)).toEqual([]);
      // Pages in a state worth its own look: the sandbox inbox with messages in it.
      routes.push({ url: "/sandbox?who=qunfa_tester", pattern: "/sandbox (inbox)", anonymous: false });
      const problems: string[] = [];
      const sign = await signedIn.newPage();
      const anon = await anonymous.newPage();
      for (const r of routes) {
        const p = r.anonymous ? anon : sign;
        const res = await p.goto(r.url);
        expect(res?.status(), r.url).toBeLessThan(400);
        await settle(p);
        const s = await sideways(p);
        if (s.scrollWidth > s.clientWidth) problems.push(`${r.url} → ${new URL(p.url()).pathname}: ${s.scrollWidth} > ${s.clientWidth}; ${s.wide.join("; ")}`);
        const wrapped = await wrappedControls(p);
        if (wrapped.length) problems.push(`${r.url}: ${wrapped.join("; ")}`);
        if (viewport === PHONE) {
          // Readable on a phone, not only inside it: no column squeezed to a character a line, every
          // button and link where a thumb can reach it, and the results chart drawn.
          const squeezed = await squeezedText(p);
          if (squeezed.length) problems.push(`${r.url}: squeezed ${squeezed.join("; ")}`);
          const off = await offscreenControls(p);
          if (off.length) problems.push(`${r.url}: off screen ${off.join("; ")}`);
          if (r.pattern.endsWith("/history") || r.pattern === "/[accountId]/campaigns/[id]") {
            const chart = await chartProblems(p);
            if (chart.length) problems.push(`${r.url}: ${chart.join("; ")}`);
          }
          // What a marketer reads on a phone without scrolling anything sideways: each campaign's
          // name, state and counts in the history, and each file's actions in the media library.
          const rows = r.pattern.endsWith("/history") ? "history-row" : r.pattern === "/[accountId]/media" ? "media-row" : null;
          if (rows) {
            const outside = await p.getByTestId(rows).evaluateAll((trs, width) => {
              const out: string[] = [];
              for (const el of trs.flatMap((tr) => Array.from(tr.querySelectorAll<HTMLElement>("td, a, button, [role=status], span")))) {
                const box = el.getBoundingClientRect();
                if (el.checkVisibility() && !el.closest(".sr-only") && box.width > 0 && (box.left < 0 || box.right > width))
                  out.push(
                    `${el.tagName.toLowerCase()} "${el.innerText.replace(/\s+/g, " ").slice(0, 20)}" at ${Math.round(box.left)}–${Math.round(box.right)}px`,
                  );
              }
              return out.slice(0, 4);
            }, PHONE.width);
            expect(await p.getByTestId(rows).count(), r.url).toBeGreaterThan(0);
            if (outside.length) problems.push(`${r.url}: outside the window ${outside.join("; ")}`);
          }
        }
        if (LOOK_AT.has(r.pattern))
          await p.screenshot({ path: test.info().outputPath(`${r.pattern.replace(/[^a-z]+/gi, "-")}-${locale}-${viewport.width}.png`), fullPage: true });
      }
      // The compose form with a news message: the picker holds the 64-character title.
      await sign.goto(`/${sample.accountId}/campaigns/new`);
      await settle(sign);
      await sign.getByLabel(/消息类型|Message type/).selectOption("mpnews");
      await expect(sign.getByRole("radio", { name: new RegExp(LONG_TITLE.slice(0, 20)) }).first()).toBeVisible();
      const s = await sideways(sign);
      if (s.scrollWidth > s.clientWidth) problems.push(`news picker: ${s.scrollWidth} > ${s.clientWidth}; ${s.wide.join("; ")}`);
      await signedIn.close();
      await anonymous.close();
      expect(problems).toEqual([]);
    });
  }
}

test("at 390 px the navigation is a menu: opened, walked and closed from the keyboard, and accessible", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await ensureData(page);
  const ctx = await contextFor(browser, PHONE, "zh-CN", page.context());
  const p = await ctx.newPage();
  await p.goto(`/${sample.accountId}/campaigns/${sample.campaignId}`);
  await settle(p);
  const nav = p.getByRole("navigation", { name: "主导航" });
  await expect(nav).toBeHidden();
  const menu = p.getByRole("button", { name: "菜单" });
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expectAccessible(p);

  // Tab reaches the menu button from the top of the page; Enter opens it with focus inside.
  for (let i = 0; i < 6 && !(await menu.evaluate((el) => el === document.activeElement)); i++) await p.keyboard.press("Tab");
  await expect(menu).toBeFocused();
  await p.keyboard.press("Enter");
  const dialog = p.getByRole("dialog", { name: "菜单" });
  await expect(dialog).toBeVisible();
  // The open dialog hides the rest of the page from role queries: find the button by its text.
  await expect(p.locator("header button", { hasText: "菜单" })).toHaveAttribute("aria-expanded", "true");
  expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await expect(dialog.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "审计日志" })).toBeVisible();
  await expect(dialog.getByLabel("公众号")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "退出登录" })).toBeVisible();
  await expectAccessible(p);
  const open = await sideways(p);
  expect(open.scrollWidth).toBeLessThanOrEqual(open.clientWidth);

  // Escape closes it and gives focus back to the button.
  await p.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(menu).toBeFocused();

  // Tab walks the menu (focus stays in it) to a link; Enter follows it and the menu closes.
  await p.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  const audit = dialog.getByRole("link", { name: "审计日志" });
  for (let i = 0; i < 20 && !(await audit.evaluate((el) => el === document.activeElement)); i++) {
    await p.keyboard.press("Tab");
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await expect(audit).toBeFocused();
  await p.keyboard.press("Enter");
  await p.waitForURL(/\/admin\/audit$/);
  await expect(dialog).toBeHidden();
  await expect(p.getByRole("heading", { level: 1 })).toHaveText("审计日志");

  // The account switcher lives in the menu on a phone: choosing an account goes there and closes it.
  await menu.click();
  await dialog.getByLabel("公众号").selectOption(sample.accountId!);
  await p.waitForURL(new RegExp(`/${sample.accountId}$`));
  await expect(dialog).toBeHidden();
  await ctx.close();

  // At 1366 px the sidebar is there and the menu button is not.
  const wide = await contextFor(browser, DESKTOP, "en", page.context());
  const w = await wide.newPage();
  await w.goto("/profile");
  await settle(w);
  await expect(w.getByRole("navigation", { name: "Main navigation" })).toBeVisible();
  await expect(w.getByRole("button", { name: "Menu" })).toBeHidden();
  await wide.close();
});

test("the per-article results: every row filled, the table inside the page at 390 and 1366 px", async ({ page, browser }) => {
  await ensureData(page);
  for (const viewport of [PHONE, DESKTOP]) {
    const ctx = await contextFor(browser, viewport, "zh-CN", page.context());
    const p = await ctx.newPage();
    await p.goto(`/${sample.accountId}/campaigns/${sample.campaignId}`);
    await settle(p);
    const table = p.getByTestId("copyright-1").getByRole("table");
    await expect(table.locator("tbody tr")).toHaveCount(2);
    // No empty row: each row's first cell names its article.
    await expect(table.locator("tbody tr td:first-child")).toHaveText([/1/, /2/]);
    // Rows of a line or two, not a column squeezed to one character that stretched them into blank
    // space; the article link (the last column) wide enough to read.
    for (const row of await table.locator("tbody tr").all()) expect((await row.boundingBox())!.height).toBeLessThan(100);
    // The article link is the column before the technical details.
    for (const cell of await table.locator("tbody tr td:nth-last-child(2)").all()) expect((await cell.boundingBox())!.width).toBeGreaterThanOrEqual(200);
    // The table's box (its scrolling region) ends inside the window: the last column is reached by
    // scrolling the region, not clipped by the page.
    const region = p.getByTestId("copyright-1").getByRole("region");
    const box = (await region.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    await ctx.close();
  }
});

test("at 390 px the history's results chart is drawn with its bars as soon as it appears, not as an empty box", async ({ page, browser }) => {
  await ensureData(page);
  const ctx = await contextFor(browser, PHONE, "zh-CN", page.context());
  const p = await ctx.newPage();
  await p.goto(`/${sample.accountId}/history`);
  const chart = p.locator("figure").filter({ hasText: "每次群发的送达情况" });
  const bars = () =>
    chart.evaluate((figure) => {
      // The chart's own svg, not its legend's icons (also recharts-surface).
      const svg = figure.querySelector(".recharts-wrapper > svg.recharts-surface")?.getBoundingClientRect();
      const heights = Array.from(figure.querySelectorAll(".recharts-bar-rectangle path, .recharts-bar-rectangle rect")).map((b) =>
        Math.round(b.getBoundingClientRect().height),
      );
      return { svg: svg ? [Math.round(svg.width), Math.round(svg.height)] : null, heights };
    });
  // The moment the chart is there (its code arrives after the page), its bars are: a person
  // glancing at the page, or a screenshot, never sees the box empty while bars grow into it.
  await expect.poll(async () => (await bars()).svg, { intervals: [25], timeout: 15_000 }).not.toBeNull();
  const first = await bars();
  expect(first.svg![0]).toBeGreaterThan(200);
  expect(first.svg![1]).toBeGreaterThan(100);
  expect(first.svg![0]).toBeLessThanOrEqual(PHONE.width);
  expect(first.heights.filter((h) => h > 0).length).toBeGreaterThan(0);
  await p.waitForTimeout(800);
  expect((await bars()).heights).toEqual(first.heights);
  await ctx.close();
});
