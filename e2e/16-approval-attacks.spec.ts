import fs from "node:fs";
import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { appRoutes, PUBLIC_ROUTES, SIGNATURE_ROUTES } from "./routes";
import { createUserWithRole, expectAccessible, sandboxAccount, signInAsAdmin, withApproval, withoutApproval } from "./fixtures";

test.describe.configure({ mode: "serial" });

/**
 * The role matrix: every server action and every route handler, called directly (no UI) with each
 * role's session, all at once. Each entry names the least role the server must require; anything
 * below it must be refused, anything at or above must get past the permission check (and then be
 * refused for its input, so the calls change nothing). The lists are checked against app/ and the
 * build's action manifest, so a new action or route fails here until it is given its role.
 */
type Need = "viewer" | "editor" | "publisher" | "admin";
type ActionNeed = Need | "public" | "own-session";
const ROLES = ["anonymous", "viewer", "editor", "publisher", "admin"] as const;
type Who = (typeof ROLES)[number];
const rank = (r: Who | Need) => ROLES.indexOf(r as Who);

const ACTIONS: Record<string, ActionNeed> = {
  // Sign-in, first-run setup and invitation acceptance are for people without a session.
  "app/(auth)/actions.ts#signInAction": "public",
  "app/(auth)/actions.ts#setupAction": "public",
  "app/(auth)/actions.ts#acceptInviteAction": "public",
  // These touch only the caller's own session or language cookie.
  "app/(auth)/actions.ts#signOutAction": "own-session",
  "components/shell/locale-actions.ts#setLocaleAction": "own-session",
  "app/(console)/[accountId]/actions.ts#setSpeedAction": "admin",
  "app/(console)/[accountId]/campaigns/actions.ts#saveCampaignAction": "editor",
  "app/(console)/[accountId]/campaigns/actions.ts#previewAction": "editor",
  "app/(console)/[accountId]/campaigns/actions.ts#previewSavedAction": "editor",
  "app/(console)/[accountId]/campaigns/actions.ts#tagsAction": "viewer",
  "app/(console)/[accountId]/campaigns/actions.ts#sendAction": "publisher",
  "app/(console)/[accountId]/campaigns/actions.ts#pauseAction": "publisher",
  "app/(console)/[accountId]/campaigns/actions.ts#resumeAction": "publisher",
  "app/(console)/[accountId]/campaigns/actions.ts#cancelAction": "publisher",
  "app/(console)/[accountId]/campaigns/actions.ts#unscheduleAction": "publisher",
  "app/(console)/[accountId]/campaigns/actions.ts#decideAction": "publisher",
  "app/(console)/[accountId]/campaigns/actions.ts#deleteSentAction": "publisher",
  "app/(console)/[accountId]/history/actions.ts#refreshStatusAction": "publisher",
  "app/(console)/[accountId]/history/actions.ts#duplicateAction": "editor",
  "app/(console)/[accountId]/media/actions.ts#deleteMediaAction": "editor",
  "app/(console)/[accountId]/media/actions.ts#massVideoAction": "editor",
  "app/(console)/[accountId]/media/actions.ts#copyMediaAction": "editor",
  "app/(console)/[accountId]/media/actions.ts#mediaPickerAction": "viewer",
  "app/(console)/[accountId]/news/actions.ts#createDraftAction": "editor",
  "app/(console)/[accountId]/news/actions.ts#saveDraftAction": "editor",
  "app/(console)/[accountId]/news/actions.ts#loadDraftAction": "viewer",
  "app/(console)/[accountId]/news/actions.ts#uploadNewsAction": "editor",
  "app/(console)/[accountId]/news/actions.ts#deleteDraftAction": "editor",
  "app/(console)/admin/accounts/actions.ts#createAccountAction": "admin",
  "app/(console)/admin/accounts/actions.ts#updateAccountAction": "admin",
  "app/(console)/admin/accounts/actions.ts#archiveAccountAction": "admin",
  "app/(console)/admin/accounts/actions.ts#testConnectionAction": "admin",
  "app/(console)/admin/users/actions.ts#inviteAction": "admin",
  "app/(console)/admin/users/actions.ts#setRoleAction": "admin",
  "app/(console)/admin/users/actions.ts#setBannedAction": "admin",
  "app/(console)/admin/users/actions.ts#confirmPreviewAction": "admin",
  "app/(console)/admin/users/actions.ts#revokeInviteAction": "admin",
  "app/(console)/profile/actions.ts#updateProfileAction": "viewer",
  "app/(console)/sandbox/actions.ts#setFaultsAction": "admin",
  "app/(console)/sandbox/actions.ts#reseedSandboxAction": "admin",
};

/** Route handlers by file pattern and method; public and signature-checked ones are listed in routes.ts. */
const ROUTES: Record<string, Need> = {
  "GET /[accountId]/history/export": "viewer",
  "GET /[accountId]/media/[id]/file": "viewer",
  "GET /[accountId]/media/[id]/preview": "viewer",
  "GET /[accountId]/campaigns/[id]/progress": "viewer",
  "POST /[accountId]/media/upload": "editor",
  "POST /[accountId]/audiences/upload": "editor",
  "POST /[accountId]/news/[id]/save": "editor",
  "GET /admin/history/export": "admin",
  "GET /sandbox/export": "viewer",
};

const root = process.cwd();

/** Every export of every "use server" module in the sources (app/, components/, lib/). */
function sourceActions(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(rel);
        continue;
      }
      if (!/\.(ts|tsx)$/.test(e.name) || /\.test\.tsx?$/.test(e.name)) continue;
      const src = fs.readFileSync(path.join(root, rel), "utf8");
      // A directive is the module's first statement (comments may come before it).
      const body = src.replace(/^(\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, "");
      if (!/^["']use server["']/.test(body)) continue;
      for (const m of src.matchAll(/^export\s+(?:const|async\s+function|function)\s+(\w+)/gm)) out.push(`${rel.split(path.sep).join("/")}#${m[1]}`);
    }
  };
  for (const d of ["app", "components", "lib"]) walk(d);
  return out.sort();
}

interface BuiltAction {
  id: string;
  key: string;
  /** a page whose worker holds the action */
  page: string;
}

/** The built actions (id, module, export name) from next build's server-reference manifest. */
function builtActions(accountId: string): BuiltAction[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, a]) => {
    const worker = Object.keys(a.workers).sort((x, y) => x.length - y.length)[0];
    const segs = worker
      .replace(/^app\//, "")
      .replace(/\/page$/, "")
      .split("/")
      .filter((s) => !(s.startsWith("(") && s.endsWith(")")))
      .map((s) => (s === "[accountId]" ? accountId : s === "[token]" ? "x".repeat(32) : s.startsWith("[") ? "x1" : s));
    return { id, key: `${a.filename}#${a.exportedName}`, page: "/" + segs.filter(Boolean).join("/") };
  });
}

const UNAUTHENTICATED = "请先登录。";
const FORBIDDEN = "你的角色无权执行此操作。";
const INVALID = "有字段未通过校验";

async function callAction(req: APIRequestContext, baseURL: string, a: BuiltAction) {
  const res = await req.post(a.page, {
    headers: { "next-action": a.id, "content-type": "text/plain;charset=UTF-8", origin: baseURL, accept: "text/x-component" },
    // Not an object: every action's schema refuses it after the permission check, so nothing changes.
    data: JSON.stringify(["role-matrix"]),
    maxRedirects: 0,
  });
  return { status: res.status(), location: res.headers()["location"] ?? "", text: await res.text() };
}

async function sessions(page: Page, browser: Browser, baseURL: string): Promise<Record<Who, APIRequestContext>> {
  await signInAsAdmin(page);
  const stamp = Date.now();
  const [viewer, editor, publisher] = [
    await createUserWithRole(page, browser, "viewer", `matrix-viewer-${stamp}@qunfa.test`),
    await createUserWithRole(page, browser, "editor", `matrix-editor-${stamp}@qunfa.test`),
    await createUserWithRole(page, browser, "publisher", `matrix-publisher-${stamp}@qunfa.test`),
  ];
  return {
    anonymous: await playwrightRequest.newContext({ baseURL }),
    viewer: viewer.request,
    editor: editor.request,
    publisher: publisher.request,
    admin: page.request,
  };
}

test("the role matrix covers every server action and route handler in app/ and in the build", () => {
  const listed = new Set(Object.keys(ACTIONS));
  expect(
    sourceActions().filter((k) => !listed.has(k)),
    "server actions without a role in the matrix",
  ).toEqual([]);
  expect(
    Object.keys(ACTIONS).filter((k) => !sourceActions().includes(k)),
    "matrix entries for actions that no longer exist",
  ).toEqual([]);
  expect(
    builtActions("a")
      .filter((a) => !listed.has(a.key))
      .map((a) => a.key),
    "built actions without a role in the matrix",
  ).toEqual([]);
  expect(builtActions("a").length).toBeGreaterThanOrEqual(30);

  const routeKeys = appRoutes()
    .filter((r) => r.kind === "route" && !PUBLIC_ROUTES.has(r.pattern) && !SIGNATURE_ROUTES.some((re) => re.test(r.url)))
    .flatMap((r) => {
      const file = ["route.ts", "route.tsx"].map((f) => path.join(root, "app", ...findDir(r.pattern), f)).find((f) => fs.existsSync(f))!;
      const src = fs.readFileSync(file, "utf8");
      return ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .filter((m) => new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b`).test(src))
        .map((m) => `${m} ${r.pattern}`);
    })
    .sort();
  expect(routeKeys).toEqual(Object.keys(ROUTES).sort());
});

/** The folder of a route pattern, route groups included (they are not in the URL). */
function findDir(pattern: string): string[] {
  const want = pattern.split("/").filter(Boolean);
  const search = (dir: string[], rest: string[]): string[] | null => {
    const abs = path.join(root, "app", ...dir);
    if (rest.length === 0 && (fs.existsSync(path.join(abs, "route.ts")) || fs.existsSync(path.join(abs, "route.tsx")))) return dir;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name.startsWith("(") && e.name.endsWith(")")) {
        const r = search([...dir, e.name], rest);
        if (r) return r;
      } else if (rest[0] === e.name) {
        const r = search([...dir, e.name], rest.slice(1));
        if (r) return r;
      }
    }
    return null;
  };
  return search([], want) ?? [];
}

test("every server action refuses each role below the one it needs, and lets the rest through to input checking, called in parallel", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const who = await sessions(page, browser, baseURL!);
  const accountId = await sandboxAccount(page);
  const actions = builtActions(accountId).filter((a) => !["public", "own-session"].includes(ACTIONS[a.key]));
  const failures: string[] = [];
  await Promise.all(
    ROLES.map(async (role) => {
      const results = await Promise.all(actions.map(async (a) => ({ a, r: await callAction(who[role], baseURL!, a) })));
      for (const { a, r } of results) {
        const need = ACTIONS[a.key] as Need;
        const refused = r.text.includes(FORBIDDEN) || r.text.includes(UNAUTHENTICATED) || ([303, 307].includes(r.status) && /\/sign-in/.test(r.location));
        if (rank(role) < rank(need)) {
          if (!refused) failures.push(`${role} was not refused ${a.key} (needs ${need}): ${r.status} ${r.text.slice(0, 200)}`);
          else if (role === "anonymous" && r.text.includes(FORBIDDEN)) failures.push(`anonymous got "forbidden" instead of "sign in" from ${a.key}`);
        } else if (refused || !r.text.includes(INVALID))
          failures.push(`${role} should reach ${a.key}'s input check (needs ${need}): ${r.status} ${r.text.slice(0, 200)}`);
      }
    }),
  );
  expect(failures).toEqual([]);

  // The sign-in, setup and invitation actions take no session, and the own-session ones work on
  // the caller's session only: anonymous callers get an answer, not an error page.
  const open = builtActions(accountId).filter((a) => ["public", "own-session"].includes(ACTIONS[a.key]));
  for (const a of open) expect((await callAction(who.anonymous, baseURL!, a)).status, a.key).toBeLessThan(500);
});

test("every route handler refuses each role below the one it needs, called in parallel", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const who = await sessions(page, browser, baseURL!);
  const accountId = await sandboxAccount(page);
  const failures: string[] = [];
  await Promise.all(
    ROLES.map(async (role) => {
      await Promise.all(
        Object.entries(ROUTES).map(async ([key, need]) => {
          const [method, pattern] = key.split(" ");
          const url = pattern.replace("[accountId]", accountId).replace(/\[[^\]]+\]/g, "x1");
          const res = await who[role].fetch(url, { method, maxRedirects: 0, headers: { origin: baseURL! }, data: method === "POST" ? "{}" : undefined });
          const s = res.status();
          const toSignIn = [303, 307, 308].includes(s) && /\/sign-in/.test(res.headers()["location"] ?? "");
          const refused = s === 401 || s === 403 || toSignIn;
          if (rank(role) < rank(need)) {
            if (!refused) failures.push(`${role} ${key} answered ${s} (needs ${need})`);
            else if (role === "anonymous" && s === 403) failures.push(`anonymous ${key} answered 403, not 401`);
          } else if (refused) failures.push(`${role} ${key} was refused with ${s} (needs only ${need})`);
        }),
      );
    }),
  );
  expect(failures).toEqual([]);
});

test("an editor who types a follower's WeChat ID into their profile cannot preview to it: the page says why, the action refuses, and an admin's confirmation opens it", async ({
  page,
  browser,
  baseURL,
}) => {
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  const email = `matrix-preview-${Date.now()}@qunfa.test`;
  const editor = await createUserWithRole(page, browser, "editor", email);
  await editor.goto("/profile");
  await editor.getByLabel("我的微信号").fill("qunfa_demo_1");
  await editor.getByRole("button", { name: "保存" }).click();
  await expect(editor.getByTestId("preview-target-status")).toContainText("qunfa_demo_1 还没有经管理员确认");
  await expectAccessible(editor);

  await editor.goto(`/${accountId}/campaigns/new`);
  const gate = editor.getByTestId("preview-gate");
  await expect(gate).toContainText("你的微信号 qunfa_demo_1 还没有经管理员确认");
  await expect(gate.getByRole("link", { name: "查看个人资料" })).toHaveAttribute("href", "/profile");
  await expect(editor.getByRole("button", { name: "预览到我的微信" })).toBeDisabled();
  await expectAccessible(editor);

  // Called directly, past the disabled button: refused, naming the reason, and nothing is sent.
  const preview = builtActions(accountId).find((a) => a.key.endsWith("#previewAction"))!;
  const res = await editor.request.post(preview.page, {
    headers: { "next-action": preview.id, "content-type": "text/plain;charset=UTF-8", origin: baseURL!, accept: "text/x-component" },
    data: JSON.stringify([{ accountId, campaignId: null, message: { type: "text", content: "冒充预览" } }]),
  });
  expect(await res.text()).toContain("预览没有发出：你的微信号 qunfa_demo_1 还没有经管理员确认");
  // The sandbox's phone view (an admin's page) shows that follower's inbox: nothing arrived.
  await page.goto("/sandbox?who=qunfa_demo_1");
  // (Earlier specs may have sent it mass messages: only this text must be absent.)
  await expect(page.locator("main")).toContainText(/还没有收到消息|qunfa_demo_1/);
  await expect(page.locator("main")).not.toContainText("冒充预览");

  // The admin confirms it on the users page; the editor's profile and compose page follow.
  await page.goto("/admin/users");
  await page.getByRole("button", { name: `确认 qunfa_demo_1 是 ${email} 本人的微信号` }).click();
  await expect(page.getByRole("button", { name: `撤销对 ${email} 的微信号 qunfa_demo_1 的确认` })).toBeVisible();
  await expectAccessible(page);
  await editor.goto("/profile");
  await expect(editor.getByTestId("preview-target-status")).toContainText("管理员已确认这是你的微信号：预览会发到 qunfa_demo_1");

  // A changed ID is unconfirmed again until an admin confirms the new one.
  await editor.getByLabel("我的微信号").fill("qunfa_demo_2");
  await editor.getByRole("button", { name: "保存" }).click();
  await expect(editor.getByTestId("preview-target-status")).toContainText("qunfa_demo_2 还没有经管理员确认");
  await page.goto("/admin/users");
  await expect(page.getByRole("button", { name: `确认 qunfa_demo_2 是 ${email} 本人的微信号` })).toBeVisible();
});

/** "YYYY-MM-DDTHH:mm" in the account's zone (Asia/Shanghai), for the schedule's datetime-local field. */
function inShanghai(ms: number) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

test("a publisher asks for a scheduled tag send, a second publisher approves it, an editor changes the text: the campaign is a draft again, says why, and is audited", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await withApproval(page, accountId);
  const stamp = Date.now();
  const [publisher, editor] = [
    await createUserWithRole(page, browser, "publisher", `approve-pub-${stamp}@qunfa.test`),
    await createUserWithRole(page, browser, "editor", `approve-ed-${stamp}@qunfa.test`),
  ];

  // The admin (a publisher too) composes a tag send and asks for it to go out in an hour.
  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("审批后被改的群发");
  await page.getByLabel("文本内容").fill("只发给测试组的通知");
  await expect(page.locator('#audience-tagId option[value="110"]')).toHaveText(/测试组/);
  await page.getByLabel("标签", { exact: true }).selectOption("110");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  const url = new URL(page.url()).pathname;
  await page.getByLabel(/^定时发送（/).fill(inShanghai(Date.now() + 3600_000));
  await page.getByRole("button", { name: "申请定时发送" }).click();
  await expect(page.getByText("待审批").first()).toBeVisible();

  // The second publisher approves what the page shows.
  await publisher.goto(url);
  await publisher.getByLabel("审批意见").fill("已核对");
  await publisher.getByRole("button", { name: "批准" }).click();
  await expect(publisher.getByText("已定时").first()).toBeVisible();

  // The editor opens it: told that a change withdraws the schedule; changes the text and saves.
  await editor.goto(url);
  await expect(editor.getByText("修改消息或发送对象会撤销定时（以及审批）")).toBeVisible();
  await expectAccessible(editor);
  await editor.getByLabel("文本内容").fill("改成了别的内容");
  await editor.getByRole("button", { name: "保存草稿" }).click();
  await editor.reload();
  await expect(editor.getByText("草稿").first()).toBeVisible();
  await expect(editor.getByText("已回到草稿：批准或定时之后修改了消息或发送对象，需要重新申请发送。")).toBeVisible();
  await expect(editor.getByText("已定时")).toHaveCount(0);

  // The publisher's page now offers to ask again; the audit log names the editor's change.
  await page.goto(url);
  await expect(page.getByRole("button", { name: "申请定时发送" })).toBeVisible();
  await page.goto("/admin/audit?action=campaign.back-to-draft");
  await expect(page.getByRole("cell", { name: "修改后退回草稿（需重新审批）" }).first()).toBeVisible();
  await withoutApproval(page, accountId);
});
