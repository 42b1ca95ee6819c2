import { afterAll, beforeAll, expect, it } from "vitest";
import sharp from "sharp";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { runDueSandboxJobs, sandboxArticle, sandboxCredentials, seedSandbox, setSandboxSettings } from "./index";
import { wechatArticleHtml } from "./html";

// A news message keeps the in-article images WeChat hosts (uploadimg URLs), however the editor
// quoted them, and loses outside images, scripts and handlers: the sandbox's article page shows
// what the editor showed.
describeEachDriver("sandbox: in-article images", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  const [svc] = sandboxCredentials();
  let base = "";
  let token = "";
  const post = async (path: string, body: unknown) =>
    (await fetch(`${base}/cgi-bin/${path}?access_token=${token}`, { method: "POST", body: JSON.stringify(body) })).json();
  const upload = async (path: string, bytes: Buffer, name: string, q: Record<string, string> = {}) => {
    const fd = new FormData();
    fd.append("media", new Blob([new Uint8Array(bytes)]), name);
    return (await fetch(`${base}/cgi-bin/${path}?${new URLSearchParams({ access_token: token, ...q })}`, { method: "POST", body: fd })).json();
  };

  beforeAll(async () => {
    t = await createTestDb(driver);
    server = await startTestServer(t.handle.db);
    base = `${server.url}/sandbox-api`;
    await seedSandbox(t.handle.db, { followers: 50 });
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000 });
    token = (await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).json()).access_token;
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  it("uploaded images in every quoting style are kept through send and on the article page; outside images, scripts and handlers go", async () => {
    const img = (c: string) =>
      sharp({ create: { width: 40, height: 30, channels: 3, background: c } })
        .png()
        .toBuffer();
    const urls: string[] = [];
    for (const c of ["#f00", "#0f0", "#00f", "#ff0", "#0ff"]) urls.push((await upload("media/uploadimg", await img(c), "i.png")).url);
    expect(urls.every((u) => /\/sandbox-api\/mmbiz\/IMG_/.test(u))).toBe(true);
    const thumb = (
      await upload(
        "material/add_material",
        await sharp({ create: { width: 20, height: 20, channels: 3, background: "#888" } })
          .jpeg()
          .toBuffer(),
        "t.jpg",
        { type: "thumb" },
      )
    ).media_id;
    const content =
      `<p>一</p><p><img src="${urls[0]}" alt="双引号"></p>` +
      `<p><img alt='单引号' src='${urls[1]}' style='width:100%'></p>` +
      `<p><IMG SRC=${urls[2]} ALT=无引号></p>` +
      `<figure><img data-w="40" src = "${urls[3]}" onerror="alert(1)" /></figure>` +
      `<p><img\nclass="rich"\nsrc="${urls[4]}"></p>` +
      `<p><img src="https://outside.example/a.jpg" alt="外部"><img src="data:image/png;base64,iVBORw0KGgo=" alt="data"><img ` +
      `src="/sandbox-api/mmbiz/IMG_x" alt="相对"></p>` +
      `<script>alert(1)</script><a href="javascript:alert(1)">链接</a>`;
    const news = await post("media/uploadnews", { articles: [{ thumb_media_id: thumb, title: "图多", content }] });
    expect(news.errcode).toBeUndefined();
    const sent = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: 110 },
      msgtype: "mpnews",
      mpnews: { media_id: news.media_id },
      send_ignore_reprint: 1,
      clientmsgid: "imgs",
    });
    expect(sent.errcode).toBe(0);
    await runDueSandboxJobs(t.handle.db);
    const article = await sandboxArticle(t.handle.db, sent.msg_id, 1);
    const srcs = [...(article?.content ?? "").matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]);
    expect(srcs).toEqual(urls);
    for (const alt of ["双引号", "单引号", "无引号"]) expect(article!.content).toContain(`alt="${alt}"`);
    expect(article!.content).toContain(`style="width:100%"`);
    expect(article!.content).not.toMatch(/outside\.example|data:image|alert|onerror|javascript:|<script/i);
    expect(article!.content).toContain("链接");
  });

  it("the article HTML drops meta refresh, base, forms and frames that would act on the console's origin", () => {
    const out = wechatArticleHtml(
      `<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/"><form action="/api/x"><input name="p">` +
        `<button>go</button></form><iframe src="/"></iframe><p>留下</p>`,
    );
    expect(out).toBe("<p>留下</p>");
  });
});
