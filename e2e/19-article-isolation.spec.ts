import { expect, test } from "@playwright/test";
import { sandboxAccount, signInAsAdmin } from "./fixtures";

/**
 * A saved draft is opened by every colleague: what its author wrote must stay inside the article's
 * box. The attack: a full-screen white panel (position fixed, huge z-index, the console's own
 * Tailwind classes) saying the session expired, with a link to a look-alike sign-in page, and an
 * outside tracking picture in its CSS.
 */
test("an article cannot cover the console nor call an outside server from its styles", async ({ page }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const outside: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("evil.example")) outside.push(r.url());
  });
  await page.goto(`/${accountId}/news`);
  await page.getByRole("button", { name: "新建图文" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));
  await page.getByLabel("标题（必填）").fill("遮罩测试");
  await page.getByRole("button", { name: "HTML" }).click();
  await page
    .getByTestId("content-html")
    .fill(
      '<div class="fixed inset-0 z-50 bg-white" id="__next" style="position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:2147483647;background:#fff url(https://evil.example/t.gif)"><p style="color:#c00">会话已过期，请<a href="https://evil.example/login">重新登录</a></p></div><p style="transform: translate(-2000px, -2000px) scale(50)">推走</p>',
    );
  const preview = page.getByTestId("phone-preview");
  await preview.getByTestId("preview-article").first().click();
  const content = preview.getByTestId("preview-content");
  await expect(content).toContainText("会话已过期");

  // What the browser paints at the corners of the window is the console, not the article.
  const hits = await page.evaluate(() => {
    const probe = (x: number, y: number) => {
      const el = document.elementFromPoint(x, y);
      return { inArticle: !!el?.closest("[data-testid=phone-preview]") || el?.getRootNode() instanceof ShadowRoot, tag: el?.tagName ?? "" };
    };
    return [probe(5, 5), probe(window.innerWidth - 5, window.innerHeight - 5), probe(window.innerWidth / 4, window.innerHeight / 2)];
  });
  for (const h of hits) expect(h.inArticle, JSON.stringify(h)).toBe(false);

  // The article's styles kept their colour but not their position, layer or outside picture; the
  // console's class names are gone; the id does not clobber the page's own.
  const div = content.locator("div").first();
  const style = (await div.getAttribute("style")) ?? "";
  expect(style).not.toMatch(/fixed|z-index|url\(/);
  expect((await div.getAttribute("class")) ?? "").not.toMatch(/fixed|inset-0|z-50/);
  await expect(content.locator("p").first()).toHaveAttribute("style", /color/);
  expect(await page.evaluate(() => document.getElementById("__next")?.closest("[data-testid=phone-preview]") ?? null)).toBeNull();

  // Saved and opened again (as a colleague would), the same holds.
  await expect(page.getByTestId("save-status")).toContainText("已保存", { timeout: 15_000 });
  await page.reload();
  await page.getByRole("button", { name: "HTML" }).click();
  await expect(page.getByTestId("content-html")).not.toHaveValue(/position:\s*fixed|z-index|evil\.example\/t\.gif|inset-0/);
  await page.waitForTimeout(300);
  expect(outside).toEqual([]);
});
