import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { auditLog, newsDrafts, newsUploads, sandboxMedia, type NewsArticle } from "@/db/schema";
import { describeEachDriver } from "@/test/db";
import { createWeChatClient, describeError, WeChatApiError } from "@/lib/wechat";
import { dbTokenProvider } from "@/lib/accounts/token-store";
import { noisyImage } from "@/test/support/media-fixtures";
import { sandboxWorld, type SandboxWorld } from "@/test/support/sandbox-world";
import { auditCount, newsArticle, uploadCover } from "@/test/support/news-world";
import { imageSources, isWeChatImageUrl, rewriteImageSources, sanitizeArticleHtml, strippedLinks } from "./html";
import { CONTENT_CHARS_LIMIT } from "./limits";
import {
  createDraft,
  deleteDraft,
  getDraft,
  listNewsForCampaign,
  NewsConflictError,
  NewsValidationError,
  saveDraft,
  uploadNewsVersion,
  validateForWeChat,
} from "./news-service";
import { articleSchema, draftSaveSchema, newsSchema } from "./schemas";
import { digestOf, toPreviewArticles } from "./preview";

const art = (over: Partial<NewsArticle> = {}): NewsArticle => newsArticle({ coverId: "m1", ...over });
const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("news rules (the same zod schema in the browser and on the server)", () => {
  it("title ≤ 64, author ≤ 8, digest ≤ 120, all named", () => {
    expect(articleSchema.safeParse(art({ title: "题".repeat(64), author: "作".repeat(8), digest: "摘".repeat(120) })).success).toBe(true);
    const r = articleSchema.safeParse(art({ title: "题".repeat(65), author: "作".repeat(9), digest: "摘".repeat(121) }));
    expect(r.success).toBe(false);
    const codes = r.error!.issues.map((i) => [i.path.join("."), i.code, (i as { maximum?: unknown }).maximum]);
    expect(codes).toEqual([
      ["title", "too_big", 64],
      ["author", "too_big", 8],
      ["digest", "too_big", 120],
    ]);
    expect(messages(articleSchema.safeParse(art({ title: "  " })))).toEqual([expect.stringMatching(/^title: /)]);
  });

  it("content is required, under 20 000 characters and under 1 MB; a cover is required", () => {
    expect(messages(articleSchema.safeParse(art({ content: "<p></p>" })))).toEqual(["content: rule.contentRequired"]);
    expect(articleSchema.safeParse(art({ content: '<p><img src="https://mmbiz.qpic.cn/a/0"></p>' })).success).toBe(true);
    const just = "<p>" + "字".repeat(CONTENT_CHARS_LIMIT - 8) + "</p>";
    expect(just.length).toBe(CONTENT_CHARS_LIMIT - 1);
    expect(articleSchema.safeParse(art({ content: just })).success).toBe(true);
    expect(messages(articleSchema.safeParse(art({ content: just + "x" })))).toEqual(["content: rule.contentChars"]);
    // 1 MB of UTF-8 under 20 000 characters cannot happen in BMP text; four-byte characters get close, so the rule is checked separately.
    expect(messages(articleSchema.safeParse(art({ coverId: null })))).toEqual(["coverId: rule.coverRequired"]);
    expect(messages(articleSchema.safeParse(art({ contentSourceUrl: "javascript:alert(1)" })))).toEqual(["contentSourceUrl: rule.url"]);
    expect(articleSchema.safeParse(art({ contentSourceUrl: "https://example.com/a?b=1" })).success).toBe(true);
  });

  it("1–8 articles: a ninth is refused, and so is none (also by the lenient draft schema)", () => {
    expect(newsSchema.safeParse({ articles: Array.from({ length: 8 }, () => art()) }).success).toBe(true);
    expect(messages(newsSchema.safeParse({ articles: Array.from({ length: 9 }, () => art()) }))).toEqual(["articles: rule.articlesMax"]);
    expect(messages(newsSchema.safeParse({ articles: [] }))).toEqual(["articles: rule.articlesMin"]);
    const save = (n: number) =>
      draftSaveSchema.safeParse({ accountId: "a", draftId: "n", baseVersion: 1, articles: Array.from({ length: n }, () => art({ title: "题".repeat(100) })) });
    expect(save(8).success).toBe(true);
    expect(messages(save(9))).toEqual(["articles: rule.articlesMax"]);
  });
});

describe("article HTML", () => {
  it("keeps inline styles, removes script, iframes, handlers and javascript: links", () => {
    const html = sanitizeArticleHtml(
      '<p style="color:red">hi<script>alert(1)</script><img src="x" onerror="alert(2)"></p><iframe src="https://evil"></iframe><a ' +
        'href="javascript:alert(3)">x</a><style>p{}</style>',
    );
    expect(html).toContain('style="color:red"');
    expect(html).not.toMatch(/script|onerror|iframe|javascript:|<style/i);
  });
  it("finds and rewrites image sources; tells WeChat URLs from others", () => {
    const html = '<p><img src="https://a.example/x.png?a=1&amp;b=2"><img src="https://mmbiz.qpic.cn/mmbiz/abc/0"></p>';
    expect(imageSources(html)).toEqual(["https://a.example/x.png?a=1&b=2", "https://mmbiz.qpic.cn/mmbiz/abc/0"]);
    expect(rewriteImageSources(html, new Map([["https://a.example/x.png?a=1&b=2", "https://mmbiz.qpic.cn/new/0"]]))).toBe(
      '<p><img src="https://mmbiz.qpic.cn/new/0"><img src="https://mmbiz.qpic.cn/mmbiz/abc/0"></p>',
    );
    expect(isWeChatImageUrl("https://mmbiz.qpic.cn/mmbiz/abc/0")).toBe(true);
    expect(isWeChatImageUrl("http://127.0.0.1:3100/sandbox-api/mmbiz/IMG_abc")).toBe(true);
    expect(isWeChatImageUrl("https://a.example/x.png")).toBe(false);
    expect(isWeChatImageUrl("data:image/png;base64,AAAA")).toBe(false);
  });
  it("flags links WeChat strips (all but mp.weixin.qq.com articles)", () => {
    expect(strippedLinks('<a href="https://shop.example/x">买</a> <a href="https://mp.weixin.qq.com/s/abc">旧文</a>')).toEqual([
      { href: "https://shop.example/x", text: "买" },
    ]);
  });
  it("preview data: the digest falls back to the text", () => {
    const [p] = toPreviewArticles([art({ coverId: "m9", digest: "" })], (id) => `/a/media/${id}/file`);
    expect(p.coverUrl).toBe("/a/media/m9/file");
    expect(digestOf(p)).toBe("正文");
  });
});

describeEachDriver("news drafts against the sandbox", (driver) => {
  let w: SandboxWorld;
  let coverId = "";
  let otherCover = "";
  beforeAll(async () => {
    w = await sandboxWorld(driver);
    const png = await noisyImage(1200, 900);
    coverId = await uploadCover(w, png);
    otherCover = await uploadCover(w, png, "other");
  });
  afterAll(async () => {
    await w?.close();
  });
  const db = () => w.t.handle.db;

  it("saves with optimistic concurrency: a second person's stale save is refused naming who saved and when", async () => {
    const { id, version } = await createDraft(db(), w.actor, w.accountId);
    expect(version).toBe(1);
    const d0 = (await getDraft(db(), w.accountId, id))!;
    expect(d0.articles).toHaveLength(1);
    const mine = await saveDraft(db(), w.actor, w.accountId, id, 1, [art({ title: "小王的标题", coverId })]);
    expect(mine.version).toBe(2);
    // Saving the same thing again (leaving the page) changes nothing.
    expect((await saveDraft(db(), w.actor, w.accountId, id, 2, mine.articles)).version).toBe(2);
    const err = await saveDraft(db(), w.other, w.accountId, id, 1, [art({ title: "小李的标题", coverId })]).catch((e) => e);
    expect(err).toBeInstanceOf(NewsConflictError);
    expect(err.current).toMatchObject({ version: 2, updatedBy: { name: "编辑小王", email: "ed@x.test" } });
    expect(err.current.updatedAt).toBeInstanceOf(Date);
    expect((await getDraft(db(), w.accountId, id))!.articles[0].title).toBe("小王的标题");
    // Knowingly keeping one's own version is allowed and audited as an overwrite.
    const forced = await saveDraft(db(), w.other, w.accountId, id, 1, [art({ title: "小李的标题", coverId })], { overwrite: true });
    expect(forced.version).toBe(3);
    const audits = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id)));
    expect(audits.map((a) => a.action)).toEqual(["news.create", "news.update", "news.update"]);
    expect(audits[2].summary).toMatchObject({ overwrite: true, version: 3 });
    // Two saves racing from the same version: exactly one wins.
    const results = await Promise.allSettled([
      saveDraft(db(), w.actor, w.accountId, id, 3, [art({ title: "甲", coverId })]),
      saveDraft(db(), w.other, w.accountId, id, 3, [art({ title: "乙", coverId })]),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(NewsConflictError);
  });

  it("stores content without script or handlers", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const r = await saveDraft(db(), w.actor, w.accountId, id, 1, [
      art({ content: '<p>x<script>alert(1)</script><img src="x" onerror="alert(1)"></p>', coverId }),
    ]);
    expect(r.articles[0].content).toBe('<p>x<img src="x"></p>');
  });

  it("uploads a 3-article news: pasted (data:) and linked images go through uploadimg and are rewritten; the media_id is kept with its version", async () => {
    const dot = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c33" } })
      .png()
      .toBuffer();
    const linked = await noisyImage(500, 400, "jpeg");
    const fetched: string[] = [];
    const fetchImage = async (url: string) => {
      fetched.push(url);
      return { bytes: linked, filename: "linked.jpg" };
    };
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const articles = [
      art({
        title: "第一篇",
        coverId,
        showCoverPic: true,
        digest: "摘要",
        author: "小王",
        content: `<p>看图</p><p><img src="data:image/png;base64,${dot.toString("base64")}"></p>`,
        contentSourceUrl: "https://example.com/read",
        needOpenComment: true,
        onlyFansCanComment: true,
      }),
      art({ title: "第二篇", coverId, content: '<p><img src="https://elsewhere.example/p.jpg"></p><p>外链图</p>' }),
      art({ title: "第三篇", coverId, content: '<p>同一张外链图 <img src="https://elsewhere.example/p.jpg"></p>' }),
    ];
    const saved = await saveDraft(db(), w.actor, w.accountId, id, 1, articles);
    // The body as it went over the wire to WeChat.
    let sentBody: { articles: Record<string, unknown>[] } | null = null;
    const client = createWeChatClient({
      baseUrl: `${w.server.url}/sandbox-api`,
      tokenProvider: dbTokenProvider(w.t.handle, w.accountId),
      fetch: async (url, init) => {
        if (url.includes("media/uploadnews") && typeof init?.body === "string") sentBody = JSON.parse(init.body);
        return fetch(url, init);
      },
    });
    const r = await uploadNewsVersion(db(), w.actor, w.accountId, id, { client, fetchImage });
    expect(r.mediaId).toMatch(/^NEWS_/);
    expect(r.titles).toEqual(["第一篇", "第二篇", "第三篇"]);
    expect(fetched).toEqual(["https://elsewhere.example/p.jpg"]);
    // The images were rewritten, so the draft is now the next version, and the upload belongs to it.
    expect(r.version).toBe(saved.version + 1);
    const d = (await getDraft(db(), w.accountId, id))!;
    expect(d.version).toBe(r.version);
    for (const a of d.articles) for (const src of imageSources(a.content)) expect(isWeChatImageUrl(src)).toBe(true);
    expect(d.uploads[0]).toMatchObject({ version: r.version, mediaId: r.mediaId, titles: r.titles });
    // The sandbox has the news; what was sent carries WeChat image URLs and the flags as given.
    const [sb] = await db().select().from(sandboxMedia).where(eq(sandboxMedia.id, r.mediaId));
    expect(sb.kind).toBe("news");
    const sent = sentBody!.articles;
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatchObject({
      title: "第一篇",
      author: "小王",
      digest: "摘要",
      show_cover_pic: 1,
      need_open_comment: 1,
      only_fans_can_comment: 1,
      content_source_url: "https://example.com/read",
    });
    expect(String(sent[1].content)).toMatch(/<img src="http:\/\/127\.0\.0\.1:\d+\/sandbox-api\/mmbiz\/IMG_/);
    expect(String(sent[0].content)).not.toContain("data:");
    // Uploading again without changes: same version, no new images.
    const again = await uploadNewsVersion(db(), w.actor, w.accountId, id, { client: w.client, fetchImage });
    expect(again.version).toBe(r.version);
    expect(again.mediaId).not.toBe(r.mediaId);
    expect(fetched).toHaveLength(1);
    const opts = await listNewsForCampaign(db(), w.accountId);
    expect(opts.find((o) => o.draftId === id)).toMatchObject({ version: r.version, mediaId: again.mediaId, titles: r.titles, upToDate: true });
    // Editing afterwards makes a new version; the upload stays with the one it came from.
    await saveDraft(
      db(),
      w.actor,
      w.accountId,
      id,
      r.version,
      d.articles.map((a, i) => (i === 0 ? { ...a, title: "第一篇（改）" } : a)),
    );
    expect((await listNewsForCampaign(db(), w.accountId)).find((o) => o.draftId === id)).toMatchObject({
      version: r.version,
      draftVersion: r.version + 1,
      upToDate: false,
      titles: r.titles,
    });
    const ups = await db().select().from(newsUploads).where(eq(newsUploads.draftId, id));
    expect(ups).toHaveLength(2);
    expect(await auditCount(db(), id, "news.upload")).toBe(2);
  });

  it("refuses before WeChat what WeChat would refuse (title, content, 1–8 articles, cover), naming each field", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    await saveDraft(db(), w.actor, w.accountId, id, 1, [
      art({ title: "长".repeat(65), coverId }),
      art({ content: "<p> </p>", coverId: null }),
      art({ coverId: otherCover }),
    ]);
    const e = await uploadNewsVersion(db(), w.actor, w.accountId, id, { client: w.client }).catch((x) => x);
    expect(e).toBeInstanceOf(NewsValidationError);
    expect(e.issues.map((i: { path: (string | number)[]; message: string }) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      expect.stringMatching(/^articles\.0\.title: /),
      "articles.1.coverId: rule.coverRequired",
      "articles.1.content: rule.contentRequired",
    ]);
    // Another account's cover is not this account's media_id.
    await saveDraft(db(), w.actor, w.accountId, id, 2, [art({ coverId: otherCover })]);
    const e2 = await uploadNewsVersion(db(), w.actor, w.accountId, id, { client: w.client }).catch((x) => x);
    expect(e2.issues).toMatchObject([{ path: ["articles", 0, "coverId"], message: "rule.coverMissing" }]);
    expect(e2.issues).toHaveLength(1);
    expect(await db().select().from(newsUploads).where(eq(newsUploads.draftId, id))).toEqual([]);
    expect(validateForWeChat(Array.from({ length: 9 }, () => art({ coverId })))).toMatchObject([
      { path: ["articles"], message: "rule.articlesMax", zod: { code: "too_big", maximum: 8 } },
    ]);
  });

  it("WeChat's own refusals (45002, 44003, 45008) leave the draft as it was and are explained", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const saved = await saveDraft(db(), w.actor, w.accountId, id, 1, [
      art({ title: "好标题", coverId, content: '<p>正文 <img src="https://elsewhere.example/q.jpg"></p>' }),
    ]);
    const linked = await noisyImage(200, 100, "jpeg");
    const fetchImage = async () => ({ bytes: linked, filename: "q.jpg" });
    // The real sandbox answers each errcode when sent what qunfa's own checks keep out: the body is
    // altered on the wire, after the client's checks.
    const tamper = (f: (a: Record<string, unknown>[]) => Record<string, unknown>[]) =>
      createWeChatClient({
        baseUrl: `${w.server.url}/sandbox-api`,
        tokenProvider: dbTokenProvider(w.t.handle, w.accountId),
        fetch: async (url, init) => {
          if (url.includes("media/uploadnews") && typeof init?.body === "string") {
            const b = JSON.parse(init.body);
            init = { ...init, body: JSON.stringify({ articles: f(b.articles) }) };
          }
          return fetch(url, init);
        },
      });
    const cases: [number, ReturnType<typeof tamper>][] = [
      [45002, tamper((a) => a.map((x) => ({ ...x, content: "<p>" + "长".repeat(CONTENT_CHARS_LIMIT) + "</p>" })))],
      [44003, tamper(() => [])],
      [45008, tamper((a) => Array.from({ length: 9 }, () => a[0]))],
    ];
    for (const [code, client] of cases) {
      const e = await uploadNewsVersion(db(), w.actor, w.accountId, id, { client, fetchImage }).catch((x) => x);
      expect(e, String(code)).toBeInstanceOf(WeChatApiError);
      expect(e.errcode).toBe(code);
      expect(describeError(e, "zh-CN")).toMatch(new RegExp(`^${code}: `));
      expect(describeError(e, "en")).toMatch(new RegExp(`^${code}: `));
    }
    const d = (await getDraft(db(), w.accountId, id))!;
    expect(d.version).toBe(saved.version);
    expect(d.articles[0].content).toContain("https://elsewhere.example/q.jpg");
    expect(d.uploads).toEqual([]);
  });

  it("deletes a draft with its uploads, audited", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    expect(await deleteDraft(db(), w.actor, w.accountId, id)).toBe(true);
    expect(await db().select().from(newsDrafts).where(eq(newsDrafts.id, id))).toEqual([]);
    expect(await auditCount(db(), id, "news.delete")).toBe(1);
    // Another account cannot see or delete it.
    const other = await createDraft(db(), w.actor, w.otherAccountId);
    expect(await getDraft(db(), w.accountId, other.id)).toBeNull();
    expect(await deleteDraft(db(), w.actor, w.accountId, other.id)).toBe(false);
  });
});
