import { expect, test } from "@playwright/test";
import { appRoutes, PUBLIC_PAGES, PUBLIC_ROUTES, SIGNATURE_ROUTES } from "./routes";
import { createUserWithRole, signInAsAdmin, expectAccessible } from "./fixtures";

const routes = appRoutes();

test("the route list is built from app/ and covers the admin pages", () => {
  const patterns = routes.map((r) => r.pattern);
  expect(patterns).toEqual(expect.arrayContaining(["/admin/accounts", "/admin/users", "/admin/audit", "/[accountId]", "/profile"]));
});

test("an anonymous visitor gets nothing from any page or route", async ({ request }) => {
  for (const r of routes) {
    if (PUBLIC_PAGES.has(r.pattern) || PUBLIC_ROUTES.has(r.pattern) || SIGNATURE_ROUTES.some((re) => re.test(r.url))) continue;
    for (const method of r.kind === "route" ? (["GET", "POST"] as const) : (["GET"] as const)) {
      const res = await request.fetch(r.url, { method, maxRedirects: 0, data: method === "POST" ? "{}" : undefined });
      const status = res.status();
      const where = res.headers()["location"] ?? "";
      const refused = [401, 403, 404, 405].includes(status) || ([303, 307, 308].includes(status) && /\/(sign-in|setup)/.test(where));
      expect(refused, `${method} ${r.url} answered ${status} ${where}`).toBe(true);
    }
  }
});

test('the liveness probe answers anyone with "ok" and nothing more, and takes no writes', async ({ request }) => {
  const res = await request.get("/api/health", { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  expect(await res.text()).toBe("ok");
  expect(res.headers()["cache-control"]).toContain("no-store");
  expect(res.headers()["set-cookie"]).toBeUndefined();
  expect((await request.post("/api/health", { data: "{}", maxRedirects: 0 })).status()).toBe(405);
});

test("a viewer cannot open an admin page or call an admin action", async ({ page, browser }) => {
  await signInAsAdmin(page);
  const viewer = await createUserWithRole(page, browser, "viewer", `viewer-${Date.now()}@qunfa.test`);

  for (const r of routes.filter((x) => x.pattern.startsWith("/admin") && x.kind === "page")) {
    const res = await viewer.goto(r.url);
    expect(res?.status(), r.url).toBe(403);
    await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("无权访问");
  }
  await expectAccessible(viewer);

  // Capture the admin's own "invite" server action, then replay it with the viewer's cookies.
  await page.goto("/admin/users");
  const captured = page.waitForRequest((req) => req.method() === "POST" && !!req.headers()["next-action"]);
  await page
    .getByLabel(/^(邮箱|Email)$/)
    .first()
    .fill(`first-${Date.now()}@qunfa.test`);
  await page.getByRole("button", { name: "生成邀请链接" }).click();
  const req = await captured;
  const stolenEmail = `stolen-${Date.now()}@qunfa.test`;
  const body = (req.postData() ?? "").replace(/first-\d+@qunfa\.test/, stolenEmail);
  const res = await viewer.request.post(req.url(), {
    headers: {
      "next-action": req.headers()["next-action"],
      "content-type": req.headers()["content-type"] ?? "text/plain;charset=UTF-8",
      origin: new URL(req.url()).origin,
      accept: "text/x-component",
    },
    data: body,
  });
  const text = await res.text();
  expect(text).toContain("你的角色无权执行此操作");
  expect(text).not.toContain("/invite/");
  await page.goto("/admin/users");
  await expect(page.getByText(stolenEmail)).toHaveCount(0);
});
