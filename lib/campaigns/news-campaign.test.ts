import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog, campaignBatches, campaigns, newsUploads, previewLog } from "@/db/schema";
import { WeChatApiError } from "@/lib/wechat";
import { previewMessage, PreviewRefused } from "./preview";
import { describeEachDriver } from "@/test/db";
import { noisyImage } from "@/test/support/media-fixtures";
import { sandboxWorld, type SandboxWorld } from "@/test/support/sandbox-world";
import { auditCount, newsArticle, uploadCover } from "@/test/support/news-world";
import { createDraft, newsChoicesForCampaign, NewsValidationError, NewsVersionGoneError, saveDraft, uploadNewsVersion } from "@/lib/news/news-service";
import { requestSend, resolveFormMessage, saveCampaign, startScheduled, type CampaignJobs } from "./campaign-service";
import type { CampaignFormValues } from "./schemas";

const art = newsArticle;

describeEachDriver("news campaigns: a draft version, uploaded on the way", (driver) => {
  let w: SandboxWorld;
  let coverId = "";
  const queued: string[] = [];
  const jobs: CampaignJobs = { drain: async (id) => void queued.push(id), startAt: async () => {} };
  beforeAll(async () => {
    w = await sandboxWorld(driver);
    coverId = await uploadCover(w, await noisyImage(400, 300));
  });
  afterAll(async () => {
    await w?.close();
  });
  const db = () => w.t.handle.db;

  async function newsCampaign(draftId: string, version: number, name = "news") {
    const values: CampaignFormValues = {
      name,
      message: { type: "mpnews", newsDraftId: draftId, newsVersion: version },
      sendIgnoreReprint: 1,
      audience: { kind: "tag", tagId: 2, tagName: "VIP", tagCount: 5 },
    };
    return saveCampaign(db(), w.actor, w.accountId, null, values, await resolveFormMessage(db(), w.accountId, values.message));
  }
  /** A campaign row as an older console could have saved it, without the save's check: the send path must refuse it on its own. */
  async function uncheckedNewsCampaign(draftId: string, version: number, name: string) {
    const values: CampaignFormValues = {
      name,
      message: { type: "mpnews", newsDraftId: draftId, newsVersion: version },
      sendIgnoreReprint: 1,
      audience: { kind: "tag", tagId: 2, tagName: "VIP", tagCount: 5 },
    };
    return saveCampaign(db(), w.actor, w.accountId, null, values, {
      message: { type: "mpnews", mediaId: null, newsDraftId: draftId, newsVersion: version, titles: [name] },
      searchText: name,
    });
  }

  it("the picker lists each draft's current version (not uploaded) and older versions still on WeChat", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const v2 = await saveDraft(db(), w.actor, w.accountId, id, 1, [art({ title: "春季上新", coverId }), art({ title: "会员日", coverId })]);
    let [c] = (await newsChoicesForCampaign(db(), w.accountId)).filter((x) => x.draftId === id);
    expect(c.coverUrl).toBe(`/${w.accountId}/media/${coverId}/file`);
    expect(c.versions).toEqual([
      { version: v2.version, current: true, titles: ["春季上新", "会员日"], articleCount: 2, mediaId: null, uploadedAt: null, expiresAt: null, blockers: [] },
    ]);
    const up = await uploadNewsVersion(db(), w.actor, w.accountId, id, { client: w.client });
    await saveDraft(db(), w.actor, w.accountId, id, up.version, [art({ title: "春季上新（改）", coverId })]);
    [c] = (await newsChoicesForCampaign(db(), w.accountId)).filter((x) => x.draftId === id);
    expect(c.versions.map((v) => [v.version, v.current, v.titles[0], v.mediaId])).toEqual([
      [up.version + 1, true, "春季上新（改）", null],
      [up.version, false, "春季上新", up.mediaId],
    ]);
  });

  it("stores the draft, version and titles (searchText = titles); the send uploads the version and sends its media_id", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const v = await saveDraft(db(), w.actor, w.accountId, id, 1, [art({ title: "周年庆", coverId }), art({ title: "抽奖规则", coverId })]);
    const campaignId = await newsCampaign(id, v.version);
    const [saved] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(saved.message).toEqual({ type: "mpnews", mediaId: null, newsDraftId: id, newsVersion: v.version, titles: ["周年庆", "抽奖规则"] });
    expect(saved.searchText).toBe("周年庆 · 抽奖规则");
    expect(await db().select().from(newsUploads).where(eq(newsUploads.draftId, id))).toEqual([]);

    expect(await requestSend(db(), jobs, w.actor, w.accountId, campaignId, null, { client: w.client })).toBe("sending");
    const [up] = await db().select().from(newsUploads).where(eq(newsUploads.draftId, id));
    expect(up).toMatchObject({ version: v.version, titles: ["周年庆", "抽奖规则"] });
    expect(up.mediaId).toMatch(/^NEWS_/);
    const [sent] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(sent.message).toMatchObject({ type: "mpnews", mediaId: up.mediaId, newsDraftId: id, newsVersion: v.version });
    expect(await db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, campaignId))).toHaveLength(1);
    expect(queued).toContain(campaignId);
    expect(await auditCount(db(), id, "news.upload")).toBe(1);

    // A second campaign of the same version reuses the live media_id: no second upload.
    const again = await newsCampaign(id, v.version, "again");
    await requestSend(db(), jobs, w.actor, w.accountId, again, null, { client: w.client });
    expect(await db().select().from(newsUploads).where(eq(newsUploads.draftId, id))).toHaveLength(1);
    expect((await db().select().from(campaigns).where(eq(campaigns.id, again)))[0].message).toMatchObject({ mediaId: up.mediaId });
  });

  it("a version that breaks WeChat's rules is refused with its issues and the campaign stays a draft; a replaced version is refused by name", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const v = await saveDraft(db(), w.actor, w.accountId, id, 1, [art({ title: "没有封面", coverId: null })]);
    const campaignId = await uncheckedNewsCampaign(id, v.version, "bad");
    const e = await requestSend(db(), jobs, w.actor, w.accountId, campaignId, null, { client: w.client }).catch((x) => x);
    expect(e).toBeInstanceOf(NewsValidationError);
    expect(e.issues).toMatchObject([{ path: ["articles", 0, "coverId"], message: "rule.coverRequired" }]);
    expect(e.issues).toHaveLength(1);
    expect((await db().select().from(campaigns).where(eq(campaigns.id, campaignId)))[0].state).toBe("draft");
    expect(await db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, campaignId))).toEqual([]);

    // Edited after it was chosen, never uploaded: that version no longer exists anywhere.
    await saveDraft(db(), w.actor, w.accountId, id, v.version, [art({ title: "有封面了", coverId })]);
    const gone = await requestSend(db(), jobs, w.actor, w.accountId, campaignId, null, { client: w.client }).catch((x) => x);
    expect(gone).toBeInstanceOf(NewsVersionGoneError);
    expect(gone).toMatchObject({ version: v.version, currentVersion: v.version + 1 });
  });

  it("a draft whose articles lack covers or titles is named in the picker, by the send path's rule, and a campaign is not saved with it", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const v = await saveDraft(db(), w.actor, w.accountId, id, 1, [
      art({ title: "有封面", coverId }),
      art({ title: "缺封面", coverId: null }),
      art({ title: "", coverId: "gone-media" }),
    ]);
    const [c] = (await newsChoicesForCampaign(db(), w.accountId)).filter((x) => x.draftId === id);
    expect(c.versions[0].blockers).toEqual([
      { kind: "noCover", articles: [2] },
      { kind: "noTitle", articles: [3] },
    ]);
    const e = await newsCampaign(id, v.version, "refused").catch((x) => x);
    expect(e).toBeInstanceOf(NewsValidationError);
    expect(e.issues.map((i: { path: unknown[] }) => i.path.join("."))).toEqual(["articles.1.coverId", "articles.2.title"]);
    expect((await db().select().from(campaigns).where(eq(campaigns.name, "refused"))).length).toBe(0);

    // Titles given, a cover that is not this account's: the cover check (after WeChat's rules) names it.
    const v2 = await saveDraft(db(), w.actor, w.accountId, id, v.version, [art({ title: "甲", coverId }), art({ title: "乙", coverId: "gone-media" })]);
    const [c2] = (await newsChoicesForCampaign(db(), w.accountId)).filter((x) => x.draftId === id);
    expect(c2.versions[0].blockers).toEqual([{ kind: "noCover", articles: [2] }]);
    expect(await newsCampaign(id, v2.version, "refused").catch((x) => x)).toBeInstanceOf(NewsValidationError);

    // A title over WeChat's 64 characters: named with its limit, not as a vague "breaks the rules".
    const v3 = await saveDraft(db(), w.actor, w.accountId, id, v2.version, [art({ title: "很".repeat(70), coverId }), art({ title: "乙", coverId })]);
    const [c3] = (await newsChoicesForCampaign(db(), w.accountId)).filter((x) => x.draftId === id);
    expect(c3.versions[0].blockers).toEqual([{ kind: "tooLong", field: "title", max: 64, articles: [1] }]);
    expect(await newsCampaign(id, v3.version, "refused").catch((x) => x)).toBeInstanceOf(NewsValidationError);
  });

  it("a scheduled news campaign whose upload fails goes back to draft with the reason, audited", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const v = await saveDraft(db(), w.actor, w.accountId, id, 1, [art({ title: "定时", coverId: null })]);
    const campaignId = await uncheckedNewsCampaign(id, v.version, "scheduled");
    await requestSend(db(), jobs, w.actor, w.accountId, campaignId, new Date(Date.now() + 500), { client: w.client });
    await new Promise((r) => setTimeout(r, 600));
    expect(await startScheduled(db(), jobs, campaignId, { client: w.client })).toBe(false);
    const [c] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(c.state).toBe("draft");
    expect(c.lastError).toMatch(/coverId/);
    expect(await auditCount(db(), campaignId, "campaign.start-failed")).toBe(1);
  });

  it("previews an unsaved news campaign: the version is uploaded, the result and the day's previews left come back, each attempt is logged and audited", async () => {
    const { id } = await createDraft(db(), w.actor, w.accountId);
    const v = await saveDraft(db(), w.actor, w.accountId, id, 1, [art({ title: "预览看看", coverId })]);
    const { message } = await resolveFormMessage(db(), w.accountId, { type: "mpnews", newsDraftId: id, newsVersion: v.version });
    const before = await db().select().from(previewLog);
    const r = await previewMessage(db(), w.actor, w.accountId, message, { towxname: "qunfa_tester" }, null, { client: w.client });
    expect(r.msgId).toBeTruthy();
    expect(r.uploadedMediaId).toMatch(/^NEWS_/);
    expect(r.previewsLeft).toBe(100 - before.filter((p) => p.errcode === null).length - 1);
    const [up] = await db().select().from(newsUploads).where(eq(newsUploads.draftId, id));
    expect(up).toMatchObject({ version: v.version, mediaId: r.uploadedMediaId });
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, "campaign.preview"));
    expect(audits.at(-1)).toMatchObject({
      actorId: w.actor.id,
      accountId: w.accountId,
      entityId: null,
      summary: { to: "qunfa_tester", type: "mpnews", msgId: r.msgId, errcode: null },
    });

    // A second preview reuses the upload; an unknown WeChat ID is refused (40132), logged, not counted.
    const e = await previewMessage(db(), w.actor, w.accountId, message, { towxname: "nobody_here" }, "c-x", { client: w.client }).catch((x) => x);
    expect(e).toBeInstanceOf(PreviewRefused);
    expect(e.cause).toBeInstanceOf(WeChatApiError);
    expect(e.cause.errcode).toBe(40132);
    expect(e.previewsLeft).toBe(r.previewsLeft);
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "campaign.preview"))).at(-1)).toMatchObject({
      entityId: "c-x",
      summary: { errcode: 40132, msgId: null },
    });
    expect(await db().select().from(newsUploads).where(eq(newsUploads.draftId, id))).toHaveLength(1);
    expect((await db().select().from(previewLog)).length).toBe(before.length + 2);
  });
});
