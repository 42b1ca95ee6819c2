import fs from "node:fs";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { expectAccessible, sandboxAccount, signInAsAdmin, withoutApproval } from "./fixtures";

test.describe.configure({ mode: "serial" });

// The sandbox's service account, with its documented defaults (lib/sandbox/defaults.ts).
const SVC = { appid: "wxqunfa0sandbox001", secret: "qunfaSandboxServiceSecret0000001" };

test("a news with in-article images sent to a tag shows its images on the article page the inbox links to", async ({ page, request }) => {
  await signInAsAdmin(page);
  // Through the sandbox's WeChat API, as the console does: uploadimg, a thumb, uploadnews whose
  // content quotes its images three ways (and one outside image, which WeChat filters), sendall.
  const tok = (
    await (await request.post("/sandbox-api/cgi-bin/stable_token", { data: { grant_type: "client_credential", appid: SVC.appid, secret: SVC.secret } })).json()
  ).access_token;
  const png = (c: string) =>
    sharp({ create: { width: 60, height: 40, channels: 3, background: c } })
      .png()
      .toBuffer();
  const urls: string[] = [];
  for (const c of ["#d00", "#0a0", "#00d"]) {
    const r = await (
      await request.post(`/sandbox-api/cgi-bin/media/uploadimg?access_token=${tok}`, {
        multipart: { media: { name: "p.png", mimeType: "image/png", buffer: await png(c) } },
      })
    ).json();
    expect(r.url).toMatch(/\/sandbox-api\/mmbiz\/IMG_/);
    urls.push(r.url);
  }
  const thumbJpg = await sharp({ create: { width: 30, height: 30, channels: 3, background: "#888" } })
    .jpeg()
    .toBuffer();
  const thumb = (
    await (
      await request.post(`/sandbox-api/cgi-bin/material/add_material?access_token=${tok}&type=thumb`, {
        multipart: { media: { name: "t.jpg", mimeType: "image/jpeg", buffer: thumbJpg } },
      })
    ).json()
  ).media_id;
  const content = `<p>图一</p><p><img src="${urls[0]}" alt="红"></p><p><img alt='绿' src='${urls[1]}'></p><p><IMG SRC=${urls[2]} ALT=蓝></p><p><img src="https://outside.example/x.png" alt="外部"></p>`;
  const news = await (
    await request.post(`/sandbox-api/cgi-bin/media/uploadnews?access_token=${tok}`, {
      data: { articles: [{ thumb_media_id: thumb, title: "三张图的图文", content }] },
    })
  ).json();
  expect(news.media_id).toBeTruthy();
  const sent = await (
    await request.post(`/sandbox-api/cgi-bin/message/mass/sendall?access_token=${tok}`, {
      // 新关注 (tag 104): not the testers' tag, whose followers earlier specs may have brought to WeChat's 4 a month.
      data: {
        filter: { is_to_all: false, tag_id: 104 },
        msgtype: "mpnews",
        mpnews: { media_id: news.media_id },
        send_ignore_reprint: 1,
        clientmsgid: `e2e15-${Date.now()}`,
      },
    })
  ).json();
  expect(sent.errcode).toBe(0);
  // The tester sees it in the inbox as a preview of the same news (a preview is never capped).
  const pv = await (
    await request.post(`/sandbox-api/cgi-bin/message/mass/preview?access_token=${tok}`, {
      data: { towxname: "qunfa_tester", msgtype: "mpnews", mpnews: { media_id: news.media_id } },
    })
  ).json();
  expect(pv.errcode).toBe(0);

  await page.goto("/sandbox?who=qunfa_tester");
  await expect(page.getByTestId("inbox-openid")).toContainText(/OpenID：[A-Za-z0-9_-]{28}/);
  const card = page.getByTestId("inbox").locator(`a[href="/sandbox-api/s/${pv.msg_id}/1"]`);
  await expect(card).toContainText("三张图的图文");
  const [article] = await Promise.all([page.waitForEvent("popup"), card.click()]);
  await article.waitForLoadState();
  const threeImages = async (p: typeof article) => {
    const imgs = p.locator("img");
    await expect(imgs).toHaveCount(3);
    for (const [i, alt] of ["红", "绿", "蓝"].entries()) {
      await expect(imgs.nth(i)).toHaveAttribute("alt", alt);
      await expect.poll(() => imgs.nth(i).evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(60);
    }
  };
  await threeImages(article);
  const res = await article.request.get(article.url());
  const csp = res.headers()["content-security-policy"];
  expect(csp).toContain("form-action 'none'");
  expect(csp).toContain("script-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  // The tag send's own article page, once the job is done, shows the same three images.
  await expect
    .poll(
      async () =>
        (await (await request.post(`/sandbox-api/cgi-bin/message/mass/get?access_token=${tok}`, { data: { msg_id: sent.msg_id } })).json()).msg_status,
      { timeout: 30_000 },
    )
    .toBe("SEND_SUCCESS");
  await article.goto(`/sandbox-api/s/${sent.msg_id}/1`);
  await threeImages(article);
  await article.close();
});

test("pick a tag, see its OpenIDs, export the list, send to it as an OpenID audience: the report matches", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const accountId = await sandboxAccount(page);
  await withoutApproval(page, accountId);

  await page.goto("/sandbox");
  await expect(page.getByRole("heading", { name: "按标签查看粉丝" })).toBeVisible();
  // 星标组 (tag 2): no earlier spec sends to it, so no follower in it is at WeChat's 4 a month.
  await page.getByLabel("标签", { exact: true }).selectOption("2");
  await page.getByRole("button", { name: "显示粉丝" }).click();
  await expect(page).toHaveURL(/tag=2/);
  const table = page.getByRole("region", { name: "标签「星标组」的粉丝" });
  await expect(table).toBeVisible();
  const firstPage = await table.locator("tbody tr td:first-child").allInnerTexts();
  expect(firstPage).toHaveLength(50);
  for (const o of firstPage) expect(o).toMatch(/^[A-Za-z0-9_-]{28}$/);
  expect([...firstPage].sort()).toEqual(firstPage);
  await expect(table.locator("tbody tr").first().locator("td").nth(1)).not.toBeEmpty();
  const total = Number(/共 (\d+) 人/.exec(await page.getByText(/共 \d+ 人，本页 50 人/).innerText())![1]);
  expect(total).toBeGreaterThan(50);
  await expectAccessible(page);

  // The next page continues after the last OpenID shown, and holds none of the first page's.
  await page.getByRole("link", { name: "下一页" }).click();
  await expect(page).toHaveURL(/after=/);
  const secondPage = await page.getByRole("region", { name: "标签「星标组」的粉丝" }).locator("tbody tr td:first-child").allInnerTexts();
  expect(secondPage.length).toBeGreaterThan(0);
  expect(secondPage[0] > firstPage[49]).toBe(true);
  await page.getByRole("link", { name: "第一页" }).click();
  await expect(page.getByRole("region", { name: "标签「星标组」的粉丝" }).locator("tbody tr td:first-child").first()).toHaveText(firstPage[0]);

  // The download: one OpenID a line, every follower of the tag, starting with the page's.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("sandbox-export").click()]);
  expect(download.suggestedFilename()).toBe(`sandbox-${SVC.appid}-tag-2-openids.txt`);
  const text = fs.readFileSync(await download.path(), "utf8");
  const lines = text.trim().split("\n");
  expect(lines).toHaveLength(total);
  expect(lines.slice(0, 50)).toEqual(firstPage);
  expect(new Set(lines).size).toBe(total);

  // Upload it as an OpenID audience, as a marketer would.
  const listName = `星标组样本 ${Date.now()}`;
  await page.goto(`/${accountId}/audiences`);
  await page.getByLabel("名单名称").fill(listName);
  await page.getByLabel("文件（CSV 或 TXT）").setInputFiles({ name: download.suggestedFilename(), mimeType: "text/plain", buffer: Buffer.from(text) });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("import-report")).toContainText(`读取 ${total} 行`);
  await expect(page.getByTestId("import-report")).toContainText(`有效 ${total} 个`);

  await page.goto(`/${accountId}/campaigns/new`);
  await page.getByLabel("名称", { exact: true }).fill("沙箱演练：星标组名单");
  await page.getByLabel("文本内容").fill("演练：按 OpenID 名单群发。");
  await page.getByRole("radio", { name: "OpenID 名单" }).check();
  await page.getByRole("combobox", { name: "OpenID 名单" }).selectOption({ label: `${listName}（${total} 个 OpenID）` });
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.waitForURL(new RegExp(`/${accountId}/campaigns/c[0-9a-f]+$`));
  await page.getByRole("button", { name: "立即发送" }).click();
  await page.getByRole("button", { name: "确认发送" }).click();
  await expect(page.getByText("已完成").first()).toBeVisible({ timeout: 60_000 });
  await page.reload();
  await expect(page.getByTestId("count-total")).toHaveText(String(total));
  await expect(page.getByTestId("count-sent")).toHaveText(String(total));

  // The followers on the list received it: the first one's inbox, looked up by OpenID.
  await page.goto(`/sandbox?who=${lines[0]}`);
  await expect(page.getByTestId("inbox-openid")).toContainText(lines[0]);
  await expect(page.getByTestId("inbox")).toContainText("演练：按 OpenID 名单群发。");
});
