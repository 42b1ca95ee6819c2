import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog, campaigns, mediaItems, newsDrafts, newsUploads, user, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { campaignArticleTitles, campaignAuditTrail, campaignMessageView, sameAudienceCampaigns } from "./detail";

const eqId = (id: string) => eq(campaigns.id, id);

describeEachDriver("campaign detail: message as seen, audit trail, same audience", (driver) => {
  let t: TestDb;
  const day = (d: number) => new Date(Date.parse("2026-11-01T00:00:00Z") + d * 86400_000);
  const base = {
    accountId: "a1",
    messageType: "text" as const,
    message: { type: "text", content: "你好" } as const,
    audienceKind: "tag" as const,
    tagId: 2,
    tagName: "VIP",
  };
  beforeAll(async () => {
    t = await createTestDb(driver);
    const db = t.handle.db;
    await db.insert(user).values({ id: "u1", name: "Li", email: "li@x.test", role: "publisher" });
    await db.insert(wechatAccounts).values({ id: "a1", name: "A", appid: "wx1234567890abcdef", type: "service", appSecretEnc: "x", callbackTokenEnc: "x" });
    await db.insert(mediaItems).values({
      id: "m1",
      accountId: "a1",
      kind: "thumb",
      mediaId: "THUMB_1",
      filename: "cover.jpg",
      mime: "image/jpeg",
      size: 3,
      sha256: "x",
      bytes: Buffer.from("abc"),
    });
    await db.insert(newsDrafts).values({
      id: "n1",
      accountId: "a1",
      version: 3,
      articles: [
        {
          key: "k1",
          title: "现在的标题",
          author: "",
          digest: "",
          coverId: null,
          showCoverPic: false,
          content: "<p>x</p>",
          contentSourceUrl: "",
          needOpenComment: false,
          onlyFansCanComment: false,
        },
      ],
    });
    await db.insert(newsUploads).values({
      id: "up1",
      draftId: "n1",
      accountId: "a1",
      version: 2,
      mediaId: "NEWS_1",
      titles: ["秋季新品", "第二篇"],
      payload: [
        { title: "秋季新品", author: "小王", digest: "d", content: "<p>一</p>", content_source_url: "", thumb_media_id: "THUMB_1", show_cover_pic: 1 },
        { title: "第二篇", author: "", digest: "", content: "<p>二</p>", content_source_url: "", thumb_media_id: "THUMB_X", show_cover_pic: 0 },
      ],
    });
    await db.insert(campaigns).values([
      { ...base, id: "c1", name: "first", startedAt: day(1), totalCount: 100, filterCount: 90, sentCount: 88, errorCount: 2 },
      { ...base, id: "c2", name: "second", startedAt: day(8), totalCount: 100, filterCount: 95, sentCount: 95, errorCount: 0 },
      { ...base, id: "c3", name: "other tag", tagId: 3, startedAt: day(9) },
      { ...base, id: "c4", name: "third", startedAt: day(15), totalCount: 100, filterCount: 100, sentCount: 97, errorCount: 3 },
      { ...base, id: "c5", name: "later", startedAt: day(20) },
      { ...base, id: "c6", name: "draft to the tag" },
      {
        ...base,
        id: "cn",
        name: "news",
        messageType: "mpnews",
        message: { type: "mpnews", mediaId: "NEWS_1", newsDraftId: "n1" },
        audienceKind: "all",
        tagId: null,
      },
      {
        ...base,
        id: "cm",
        name: "news by media_id only",
        messageType: "mpnews",
        message: { type: "mpnews", mediaId: "NEWS_1" },
        audienceKind: "all",
        tagId: null,
      },
      {
        ...base,
        id: "ct",
        name: "news, titles kept",
        messageType: "mpnews",
        message: { type: "mpnews", mediaId: "GONE", titles: ["留下的标题"] },
        audienceKind: "all",
        tagId: null,
      },
    ]);
    await db.insert(auditLog).values([
      { actorId: "u1", actorEmail: "li@x.test", accountId: "a1", action: "campaign.create", entityType: "campaign", entityId: "c4", at: day(14) },
      { actorId: null, actorEmail: null, accountId: "a1", action: "campaign.finish", entityType: "campaign", entityId: "c4", at: day(16) },
      { actorId: "u1", actorEmail: "li@x.test", accountId: "a1", action: "campaign.send", entityType: "campaign", entityId: "c4", at: day(15) },
      { actorId: "u1", actorEmail: "li@x.test", accountId: "a1", action: "campaign.create", entityType: "campaign", entityId: "c1", at: day(0) },
      { actorId: "u1", actorEmail: "li@x.test", accountId: "a1", action: "news.upload", entityType: "news", entityId: "c4", at: day(0) },
    ]);
  });
  afterAll(async () => t?.dispose());

  it("compares a campaign with the previous sends to the same tag, oldest first, not later ones", async () => {
    const [c4] = await t.handle.db.select().from(campaigns).where(eqId("c4"));
    const rows = await sameAudienceCampaigns(t.handle.db, c4);
    expect(rows.map((r) => r.id)).toEqual(["c1", "c2", "c4"]);
    expect(rows[0]).toMatchObject({ sentCount: 88, errorCount: 2, filterCount: 90, totalCount: 100 });
    const [c6] = await t.handle.db.select().from(campaigns).where(eqId("c6"));
    expect(await sameAudienceCampaigns(t.handle.db, c6)).toEqual([]);
  });

  it("lists the campaign's own audit rows in order with who did them", async () => {
    const rows = await campaignAuditTrail(t.handle.db, "a1", "c4");
    expect(rows.map((r) => [r.action, r.who])).toEqual([
      ["campaign.create", "Li"],
      ["campaign.send", "Li"],
      ["campaign.finish", null],
    ]);
  });

  it("shows a news campaign as its upload sent it, with the cover from the library", async () => {
    const [cn] = await t.handle.db.select().from(campaigns).where(eqId("cn"));
    const v = await campaignMessageView(t.handle.db, cn);
    expect(v.type).toBe("mpnews");
    if (v.type !== "mpnews") return;
    expect(v.articles.map((a) => a.title)).toEqual(["秋季新品", "第二篇"]);
    expect(v.articles[0].coverUrl).toBe("/a1/media/m1/file");
    expect(v.articles[1].coverUrl).toBeNull();
    // Without the draft id, the media_id finds the upload (and its draft).
    const [cm] = await t.handle.db.select().from(campaigns).where(eqId("cm"));
    const vm = await campaignMessageView(t.handle.db, cm);
    expect(vm.type === "mpnews" && vm.articles.map((a) => a.title)).toEqual(["秋季新品", "第二篇"]);
    expect(await campaignArticleTitles(t.handle.db, cm)).toEqual(["秋季新品", "第二篇"]);
    // With neither, the titles kept with the campaign.
    const [ct] = await t.handle.db.select().from(campaigns).where(eqId("ct"));
    const vt = await campaignMessageView(t.handle.db, ct);
    expect(vt.type === "mpnews" && vt.articles.map((a) => a.title)).toEqual(["留下的标题"]);
    expect(await campaignArticleTitles(t.handle.db, ct)).toEqual(["留下的标题"]);
  });

  it("shows a text as a bubble", async () => {
    const [c1] = await t.handle.db.select().from(campaigns).where(eqId("c1"));
    expect(await campaignMessageView(t.handle.db, c1)).toEqual({ type: "text", content: "你好" });
  });
});
