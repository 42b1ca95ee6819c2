import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, createUserWithRole, expectAccessible, sandboxAccount, signInAsAdmin, submitAndExpectOutcome } from "./fixtures";

const VICTIM_PASSWORD = "viewer-password-123"; // what createUserWithRole gives its users

async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel(/^(邮箱|Email)$/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
}

async function freshPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext();
  return ctx.newPage();
}

// Standalone runs start on an empty database: the admin is created first.
test.beforeAll(async ({ browser }) => {
  const page = await freshPage(browser);
  await signInAsAdmin(page);
  await page.context().close();
});

test("a deep link opened while signed out comes back after signing in", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto("/admin/audit?action=account.update");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  expect(new URL(page.url()).searchParams.get("next")).toBe("/admin/audit?action=account.update");
  await expectAccessible(page);
  await fillSignIn(page, ADMIN.email, ADMIN.password);
  await page.waitForURL((u) => u.pathname === "/admin/audit");
  expect(new URL(page.url()).search).toBe("?action=account.update");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("审计日志");
  await expect(page.getByLabel(/^(操作|Action)$/)).toHaveValue("account.update");
});

test("hostile next= values keep the browser on the site", async ({ browser }) => {
  const hostile = [
    "/%09/evil.example/",
    "/%0A/evil.example/",
    "//evil.example/",
    "/%5Cevil.example/",
    "/\\evil.example/",
    "/%2F%2Fevil.example",
    "https://evil.example/",
    "/%0D%0A/evil.example/",
  ];
  const origin = new URL(test.info().project.use.baseURL!).origin;
  // Signing in through the form, for the first three.
  for (const next of hostile.slice(0, 3)) {
    const page = await freshPage(browser);
    await page.goto(`/sign-in?next=${next}`);
    await fillSignIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin, next).toBe(origin);
    expect(new URL(page.url()).pathname, next).not.toContain("evil.example");
    await page.context().close();
  }
  // Already signed in, the sign-in page sends the visitor on at once: the same rule applies.
  const page = await freshPage(browser);
  await signInAsAdmin(page);
  for (const next of hostile) {
    await page.goto(`/sign-in?next=${next}`);
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin, next).toBe(origin);
    expect(page.url(), next).not.toMatch(/^https?:\/\/evil\.example/);
  }
  await page.context().close();
});

test("a CSV export link opened while signed out leads to the sign-in page; scripts still get 401 JSON", async ({ page, browser, playwright }) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const anon = await freshPage(browser);
  for (const path of [`/${accountId}/history/export?state=finished`, "/admin/history/export?type=mpnews"]) {
    await anon.goto(path);
    await expect(anon).toHaveURL(/\/sign-in\?next=/);
    expect(new URL(anon.url()).searchParams.get("next")).toBe(path);
    await expect(anon.getByRole("button", { name: /^(登录|Sign in)$/ })).toBeVisible();
  }
  const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const json = await api.get(`/${accountId}/history/export`, { headers: { accept: "application/json" }, maxRedirects: 0 });
  expect(json.status()).toBe(401);
  expect(await json.json()).toEqual({ error: "unauthenticated" });
  const any = await api.get(`/${accountId}/history/export`, { maxRedirects: 0 });
  expect(any.status()).toBe(401);
  const post = await api.post(`/${accountId}/media/upload`, { data: "{}", headers: { accept: "text/html" }, maxRedirects: 0 });
  expect([401, 403]).toContain(post.status());
  await api.dispose();
});

test("a console page refuses framing and sends the security headers; the sandbox's article keeps its own policy", async ({ page }) => {
  await signInAsAdmin(page);
  const res = await page.goto("/admin/accounts");
  const h = res!.headers();
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["x-content-type-options"]).toBe("nosniff");
  // Served over http here: no HSTS (it is sent only to requests that came over https).
  expect(h["strict-transport-security"]).toBeUndefined();
  const signIn = await page.request.get("/sign-in");
  expect(signIn.headers()["x-frame-options"]).toBe("DENY");
  const article = await page.request.get("/sandbox-api/s/0/1");
  expect(article.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(article.headers()["content-security-policy"]).not.toContain("frame-ancestors 'none'");
});

test("sign-in guessing: 200 parallel wrong passwords check at most 5, the right one among them does not get in, the person's own browser still does", async ({
  page,
  browser,
  playwright,
}) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const victim = `victim-${Date.now()}@qunfa.test`;
  const viewer = await createUserWithRole(page, browser, "viewer", victim);

  // A viewer on an admin page and on a page that needs the edit role: "access denied" with 403.
  for (const path of ["/admin/users", `/${await sandboxAccount(page)}/campaigns/new`]) {
    const denied = await viewer.goto(path);
    expect(denied?.status(), path).toBe(403);
    await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("无权访问");
  }
  await expectAccessible(viewer);

  // The person signs in from their own browser once: it becomes a known device for that email.
  const own = await freshPage(browser);
  await own.goto("/sign-in");
  const action = own.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await fillSignIn(own, victim, VICTIM_PASSWORD);
  const captured = await action;
  await own.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  await own.context().clearCookies({ name: "better-auth.session_token" });

  // The attacker replays the sign-in action from its own client, 200 guesses at once.
  const headers = Object.fromEntries(Object.entries(captured.headers()).filter(([k]) => !["cookie", "content-length"].includes(k)));
  const template = captured.postData()!;
  expect(template).toContain(VICTIM_PASSWORD);
  const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const guesses = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      const password = i === 150 ? VICTIM_PASSWORD : `wrong-guess-${i}`;
      const res = await api.post(captured.url(), {
        headers: { ...headers, "x-forwarded-for": `203.0.113.${i % 200}` },
        data: template.replace(VICTIM_PASSWORD, password),
      });
      return { status: res.status(), text: await res.text(), cookies: res.headers()["set-cookie"] ?? "" };
    }),
  );
  for (const g of guesses) expect(g.status).toBe(200);
  const checked = guesses.filter((g) => g.text.includes("邮箱或密码不正确"));
  const throttled = guesses.filter((g) => /登录失败次数过多，请 \d+ 分钟后再试/.test(g.text));
  expect(checked.length).toBeLessThanOrEqual(5);
  expect(throttled.length).toBeGreaterThanOrEqual(195);
  expect(guesses[150].text).toMatch(/登录失败次数过多/);
  expect(guesses[150].cookies).not.toContain("better-auth.session_token");
  expect(guesses.filter((g) => g.cookies.includes("better-auth.session_token"))).toEqual([]);
  await api.dispose();

  // A stranger's browser with the right password is told how long to wait, in zh-CN and in English.
  const stranger = await freshPage(browser);
  await stranger.goto("/sign-in");
  await fillSignIn(stranger, victim, VICTIM_PASSWORD);
  await expect(stranger.getByRole("alert").filter({ hasText: /登录失败次数过多，请 1[45] 分钟后再试。/ })).toBeVisible();
  await stranger.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: test.info().project.use.baseURL! }]);
  await stranger.reload();
  await fillSignIn(stranger, victim, VICTIM_PASSWORD);
  await expect(stranger.getByRole("alert").filter({ hasText: /Too many failed sign-ins\. Try again in 1[45] minutes\./ })).toBeVisible();
  await expect(stranger).toHaveURL(/\/sign-in/);

  // The person, from the browser they signed in with before, still gets in.
  await own.goto("/sign-in");
  await fillSignIn(own, victim, VICTIM_PASSWORD);
  await own.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  await expect(own.getByRole("heading", { level: 1 })).toBeVisible();
});

test("moving an account's API base URL needs the AppSecret again, and the audit shows the change", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/accounts/new");
  const name = `地址测试号${Date.now() % 100000}`;
  await page.getByLabel("名称").fill(name);
  await page.getByLabel("AppID").fill("wx0addre55test0001");
  await page.getByLabel("AppSecret").fill("Add1ressTestSecret00000000000001");
  await page.getByLabel("令牌(Token)").fill("AddressTok3n");
  await page.getByLabel("消息加解密密钥(EncodingAESKey)").fill("AddressTestAesKey0123456789abcdefghijklmnop");
  await page.getByRole("button", { name: "接入", exact: true }).click();
  await page.waitForURL(/\/admin\/accounts\/a[0-9a-f]+$/);
  const accountUrl = page.url();
  await expect(page.getByText("测试的是已保存的设置，请先保存修改。")).toBeVisible();

  // Only the address changed, secrets left blank: refused on the AppSecret field.
  const baseUrl = page.getByLabel("接口地址");
  await expect(baseUrl).toBeEnabled();
  await expect(baseUrl).toHaveValue("https://api.weixin.qq.com");
  await expect(page.getByText("修改此地址时需要重新填写 AppSecret。")).toBeVisible();
  await baseUrl.fill("https://evil.example/cgi");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  const secretField = page.getByLabel("AppSecret");
  await expect(secretField).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/接口地址已修改：请重新填写 AppSecret/).first()).toBeVisible();
  // Nothing the admin typed is lost, and nothing was saved.
  await expect(baseUrl).toHaveValue("https://evil.example/cgi");
  await page.reload();
  await expect(page.getByLabel("接口地址")).toHaveValue("https://api.weixin.qq.com");

  // With the secret typed again, it saves.
  await page.getByLabel("接口地址").fill("https://api2.weixin.example/");
  await page.getByLabel("AppSecret").fill("Add1ressTestSecret00000000000002");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("已保存", { exact: true }).first()).toBeVisible();
  await page.goto(accountUrl);
  await expect(page.getByLabel("接口地址")).toHaveValue("https://api2.weixin.example/");

  await page.goto("/admin/audit?action=account.update");
  const row = page.getByRole("row").filter({ hasText: name }).first();
  await expect(row).toContainText(
    /"apiBaseUrl":\{("from":"https:\/\/api\.weixin\.qq\.com","to":"https:\/\/api2\.weixin\.example\/"|"to":"https:\/\/api2\.weixin\.example\/","from":"https:\/\/api\.weixin\.qq\.com")\}/,
  );
  await expect(row).toContainText('"appSecret":"changed"');
  await expect(row).not.toContainText("Add1ressTestSecret");
  await expectAccessible(page);
});

test("a relay URL pointing at this server or a private network is refused when saved, on its field, in Chinese and English", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/accounts/new");
  const name = `转发测试号${Date.now() % 100000}`;
  await page.getByLabel("名称").fill(name);
  await page.getByLabel("AppID").fill(`wx0re1ay${String(Date.now() % 1e10).padStart(10, "0")}`);
  await page.getByLabel("AppSecret").fill("Re1ayTestSecret00000000000000001");
  await page.getByLabel("令牌(Token)").fill("Re1ayTok3n");
  await page.getByLabel("消息加解密密钥(EncodingAESKey)").fill("Re1ayTestAesKey0123456789abcdefghijklmnopqr");
  // On creation: refused, nothing made, nothing typed lost.
  const relay = page.getByLabel("转发地址（可选）");
  await relay.fill("http://127.0.0.1:3000/wx");
  const created = await submitAndExpectOutcome(page, page.getByRole("button", { name: "接入", exact: true }), { want: "error" });
  expect(created.alerts.join(" ")).toContain("转发地址：该地址指向本机或内网");
  await expect(relay).toHaveAttribute("aria-invalid", "true");
  await expect(relay).toHaveValue("http://127.0.0.1:3000/wx");
  expect(new URL(page.url()).pathname).toBe("/admin/accounts/new");
  // A public address (or none) is accepted.
  await relay.fill("");
  await submitAndExpectOutcome(page, page.getByRole("button", { name: "接入", exact: true }), { want: "success" });
  await page.waitForURL(/\/admin\/accounts\/a[0-9a-f]+$/);
  const accountUrl = page.url();

  // On edit, in English: the cloud metadata address is refused on the same field.
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: new URL("/", page.url()).toString() }]);
  await page.goto(accountUrl);
  const relayEn = page.getByLabel("Relay URL (optional)");
  await relayEn.fill("http://169.254.169.254/latest/meta-data");
  const edited = await submitAndExpectOutcome(page, page.getByRole("button", { name: "Save", exact: true }), { want: "error" });
  expect(edited.alerts.join(" ")).toContain("Relay URL: this address is on this server or inside a private network");
  await expect(relayEn).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByLabel("Relay URL (optional)")).toHaveValue("");
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: new URL("/", page.url()).toString() }]);
});
