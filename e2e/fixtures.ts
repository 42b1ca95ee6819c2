import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const ADMIN = { name: "Admin Wang", email: "admin@qunfa.test", password: "correct-horse-battery" };

/** First-run setup when nobody exists yet, otherwise a plain sign-in. */
export async function signInAsAdmin(page: Page) {
  await page.goto("/");
  if (page.url().includes("/setup")) {
    await page.getByLabel(/姓名|Name/).fill(ADMIN.name);
    await page.getByLabel(/邮箱|Email/).fill(ADMIN.email);
    await page.getByLabel(/^(密码|Password)$/).fill(ADMIN.password);
    await page.getByLabel(/确认密码|Confirm password/).fill(ADMIN.password);
    await page.getByRole("button", { name: /创建管理员|Create admin/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/setup"));
    return;
  }
  if (page.url().includes("/sign-in")) await signIn(page, ADMIN.email, ADMIN.password);
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

/** Invites a user with the role through the admin UI and accepts in a fresh context; returns that page. */
export async function createUserWithRole(adminPage: Page, browser: Browser, role: "viewer" | "editor" | "publisher" | "admin", email: string) {
  await adminPage.goto("/admin/users");
  await adminPage
    .getByLabel(/^(邮箱|Email)$/)
    .first()
    .fill(email);
  await adminPage.locator("#invite-role").selectOption(role);
  await adminPage.getByRole("button", { name: /生成邀请链接|Create invitation link/ }).click();
  const link = await adminPage.locator("#invite-link").inputValue();
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(link);
  await page.getByLabel(/姓名|Name/).fill(`User ${role}`);
  await page.getByLabel(/^(密码|Password)$/).fill("viewer-password-123");
  await page.getByLabel(/确认密码|Confirm password/).fill("viewer-password-123");
  await page.getByRole("button", { name: /加入并登录|Join and sign in/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/invite"));
  return page;
}

/** No serious or critical axe violations on the page as it is now. */
export async function expectAccessible(page: Page) {
  // Next streams a dynamic page's metadata after its body: let the <title> arrive before judging it.
  await expect(page).toHaveTitle(/\S/);
  // Transient toasts fade in and out: axe measures their contrast mid-animation, so they are left out.
  const results = await new AxeBuilder({ page }).exclude("[data-sonner-toaster]").analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The sandbox account: where the console's home page sends the signed-in admin on a fresh start. */
export async function sandboxAccount(page: Page): Promise<string> {
  await page.goto("/");
  await page.waitForURL(/\/a[0-9a-f]{16}$/);
  return new URL(page.url()).pathname.slice(1);
}

/** Turns "sending needs approval" on for the account, through its form. */
export async function withApproval(page: Page, accountId: string) {
  await page.goto(`/admin/accounts/${accountId}`);
  await page.getByLabel("发送需要审批").check();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
}

/**
 * This spec sends on the sandbox account without approval: make it so, whatever earlier specs
 * left (the approval spec in 04 turns approval on and off again), and check it after a reload.
 */
export async function withoutApproval(page: Page, accountId: string) {
  await page.goto(`/admin/accounts/${accountId}`);
  const box = page.getByLabel(/发送需要审批|Sending needs approval/);
  // Read it once the form has hydrated (its fields are disabled until then).
  await expect(box).toBeEnabled();
  if (await box.isChecked()) {
    await box.uncheck();
    await page.getByRole("button", { name: /^(保存|Save)$/ }).click();
    await expect(page.getByText(/^(已保存|Saved)$/).first()).toBeVisible();
  }
  await page.reload();
  await expect(box).toBeEnabled();
  await expect(box).not.toBeChecked();
}

/**
 * The signed-in admin's own WeChat ID for previews: typed in the profile, then confirmed on the admin
 * users page (previews go only to a confirmed ID; the first admin may confirm their own while no other
 * admin exists). Ends on the profile, which says the ID is confirmed.
 */
export async function confirmOwnWechatId(page: Page, wechatId: string, email = ADMIN.email) {
  await page.goto("/profile");
  const field = page.getByLabel(/^(我的微信号|My WeChat ID)$/);
  await expect(field).toBeEnabled();
  if ((await field.inputValue()) !== wechatId) {
    await field.fill(wechatId);
    await page.getByRole("button", { name: /^(保存|Save)$/ }).click();
    await expect(page.getByText(/^(已保存|Saved)$/).first()).toBeVisible();
  }
  const status = page.getByTestId("preview-target-status");
  await expect(status).toBeVisible();
  if (!/已确认|confirmed this is your WeChat ID/.test(await status.innerText())) {
    // The admin is led from the notice to the page where the ID is confirmed (not told to ask an admin).
    await status.getByRole("link", { name: /成员与角色|Users and roles/ }).click();
    await page.waitForURL(/\/admin\/users$/);
    const confirm = page.getByRole("button", { name: `确认 ${wechatId} 是 ${email} 本人的微信号` });
    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(page.getByRole("button", { name: `撤销对 ${email} 的微信号 ${wechatId} 的确认` })).toBeVisible();
    await page.goto("/profile");
  }
  await expect(page.getByTestId("preview-target-status")).toContainText(/管理员已确认这是你的微信号：预览会发到 (\S+)。|previews go to/);
  await expect(page.getByTestId("preview-target-status")).toContainText(wechatId);
}

export type Outcome = "success" | "error";

/** What the page shows now: a success (navigation, success toast, the caller's sign) and the visible error texts. */
async function visibleOutcome(page: Page, urlBefore: string, success?: Locator) {
  const navigated = page.url() !== urlBefore;
  const toast = (await page.locator('[data-sonner-toast][data-type="success"]').count()) > 0;
  const sign = success ? await success.first().isVisible() : false;
  // Field errors and form-level alerts are role="alert"; Next's route announcer (1 px, in a shadow root) is not an answer.
  const alerts = (await page.locator('[role="alert"]:visible:not(#__next-route-announcer__), [data-sonner-toast][data-type="error"]').allInnerTexts())
    .map((t) => t.trim())
    .filter(Boolean);
  return { success: navigated || toast || sign, alerts };
}

/**
 * Submits (clicks the button, or runs the action, e.g. choosing files) and requires the page to
 * answer visibly: a success (navigation, a success toast, or `success` shown) or a refusal (a field
 * error or form-level alert, role="alert"). A submit that ends silently fails the test. With `want`,
 * that outcome must be the one shown; the error texts seen are returned for further checks.
 */
export async function submitAndExpectOutcome(
  page: Page,
  submit: Locator | (() => Promise<unknown>),
  o: { want?: Outcome; success?: Locator; timeout?: number } = {},
): Promise<{ outcome: Outcome; alerts: string[] }> {
  const before = page.url();
  if (typeof submit === "function") await submit();
  else await submit.click();
  let last = { success: false, alerts: [] as string[] };
  const answered = () => (o.want === "success" ? last.success : o.want === "error" ? last.alerts.length > 0 : last.success || last.alerts.length > 0);
  try {
    await expect
      .poll(
        async () => {
          last = await visibleOutcome(page, before, o.success);
          return answered();
        },
        { timeout: o.timeout ?? 15_000 },
      )
      .toBe(true);
  } catch {
    throw new Error(
      `The submit ended without the ${o.want ?? "success or error"} a person would see. ` +
        `Visible errors: ${JSON.stringify(last.alerts)}; success seen: ${last.success}`,
    );
  }
  return { outcome: last.success && o.want !== "error" ? "success" : "error", alerts: last.alerts };
}

/** Starts a news draft on the account's news page and waits for its editor. */
export async function newDraft(page: Page, accountId: string) {
  await page.goto(`/${accountId}/news`);
  await page.getByRole("button", { name: "新建图文" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/news/n[0-9a-f]{16}$`));
  await expect(page.getByLabel("标题（必填）")).toBeVisible();
}

/** Types at the end of the news editor's body. */
export async function typeBody(page: Page, text: string) {
  await page.getByTestId("content-editor").click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type(text);
}

/**
 * Pastes into the news editor the way the clipboard delivers it: a picture as a File (`png`), a copy
 * from a web page or Word as text/html with its text/plain.
 */
export async function pasteIntoEditor(page: Page, clip: { png: Buffer } | { html: string; text: string }) {
  await page.evaluate(
    (c) => {
      const dt = new DataTransfer();
      if ("b64" in c) dt.items.add(new File([Uint8Array.from(atob(c.b64), (ch) => ch.charCodeAt(0))], "粘贴.png", { type: "image/png" }));
      else {
        dt.setData("text/html", c.html);
        dt.setData("text/plain", c.text);
      }
      document
        .querySelector('[data-testid="content-editor"]')!
        .dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    },
    "png" in clip ? { b64: clip.png.toString("base64") } : clip,
  );
}
