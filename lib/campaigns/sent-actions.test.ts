import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, campaignBatches, campaigns } from "@/db/schema";
import { describeEachDriver } from "@/test/db";
import { sandboxWorld, type SandboxWorld } from "@/test/support/sandbox-world";
import { uploadMediaItem } from "@/lib/media/media-service";
import { noisyImage } from "@/test/support/media-fixtures";
import { runDueSandboxJobs } from "@/lib/sandbox/runner";
import { DeleteRefused, deleteSentCampaign, sameMaterialSends } from "./delete-sent";
import { refreshCampaignStatus } from "./mass-status";
import { duplicateCampaign } from "./duplicate";

describeEachDriver("history actions against the sandbox: delete one article or all, refresh status, duplicate", (driver) => {
  let w: SandboxWorld;
  let mediaId = "";
  const db = () => w.t.handle.db;
  const msgIds: Record<string, string> = {};

  /** A campaign row and its batch row for a real sandbox send of `mediaId` to tag 110. */
  async function sentNews(id: string, n: number) {
    await db()
      .insert(campaigns)
      .values({
        id,
        accountId: w.accountId,
        name: `news ${id}`,
        state: "finished",
        messageType: "mpnews",
        message: { type: "mpnews", mediaId, titles: ["秋季新品", "第二篇"] },
        audienceKind: "tag",
        tagId: 110,
        tagName: "测试组",
        startedAt: new Date(Date.now() - (10 - n) * 1000),
      });
    for (let seq = 1; seq <= 2; seq++) {
      const r = await w.client.sendAll({
        filter: { is_to_all: false, tag_id: 110 },
        message: { msgtype: "mpnews", mpnews: { media_id: mediaId } },
        send_ignore_reprint: 1,
        clientmsgid: `${id}-b${seq}`,
      });
      msgIds[`${id}-${seq}`] = String(r.msg_id);
      await db()
        .insert(campaignBatches)
        .values({
          campaignId: id,
          accountId: w.accountId,
          seq,
          kind: "sendall",
          clientMsgId: `${id}-b${seq}`,
          state: "submitted",
          msgId: String(r.msg_id),
          submittedAt: new Date(),
        });
    }
  }

  beforeAll(async () => {
    w = await sandboxWorld(driver);
    const thumb = await uploadMediaItem(
      db(),
      w.actor,
      w.accountId,
      { kind: "thumb", storage: "permanent", filename: "c.png", bytes: await noisyImage(200, 150) },
      { client: w.client },
    );
    const article = (title: string) => ({
      thumb_media_id: thumb.mediaId!,
      title,
      content: `<p>${title}</p>`,
      author: "",
      digest: "",
      content_source_url: "",
      show_cover_pic: 0 as const,
    });
    mediaId = (await w.client.uploadNews({ articles: [article("秋季新品"), article("第二篇")] })).media_id;
    await sentNews("c-one", 1);
    await sentNews("c-two", 2);
    await db()
      .insert(campaigns)
      .values({
        id: "c-text",
        accountId: w.accountId,
        name: "text",
        state: "finished",
        messageType: "text",
        message: { type: "text", content: "x" },
        audienceKind: "all",
      });
    await new Promise((r) => setTimeout(r, 300));
    await runDueSandboxJobs(db());
  });
  afterAll(async () => w?.close());

  it("lists the other sends of the same material for the confirmation", async () => {
    expect((await sameMaterialSends(db(), w.accountId, "c-one")).map((s) => s.id)).toEqual(["c-two"]);
  });

  it("deleting one article records it on every batch, audited; the status stays until the whole message goes", async () => {
    await deleteSentCampaign(db(), w.actor, w.accountId, "c-one", 2, { client: w.client });
    const rows = await db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, "c-one")).orderBy(campaignBatches.seq);
    expect(rows.map((r) => r.deletedArticles)).toEqual([[2], [2]]);
    expect(rows.every((r) => r.deletedAt === null)).toBe(true);
    // Deleting it again (WeChat answers ok) keeps one entry.
    await deleteSentCampaign(db(), w.actor, w.accountId, "c-one", 2, { client: w.client });
    const again = await db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, "c-one"));
    expect(again.map((r) => r.deletedArticles)).toEqual([[2], [2]]);
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, "c-one"), eq(auditLog.action, "campaign.delete-sent")));
    expect(audit.map((a) => a.summary)).toEqual([
      { articleIdx: 2, batches: 2, of: 2 },
      { articleIdx: 2, batches: 2, of: 2 },
    ]);
    expect(await refreshCampaignStatus(w.t.handle, w.accountId, "c-one")).toEqual([
      { seq: 1, status: "SEND_SUCCESS" },
      { seq: 2, status: "SEND_SUCCESS" },
    ]);
  });

  it("refuses other types, and an article_idx the type cannot have", async () => {
    await expect(deleteSentCampaign(db(), w.actor, w.accountId, "c-text", 0, { client: w.client })).rejects.toEqual(new DeleteRefused("type"));
    await expect(deleteSentCampaign(db(), w.actor, w.accountId, "c-one", 9, { client: w.client })).rejects.toEqual(new DeleteRefused("articleIdx"));
  });

  it("deleting the whole message marks the batches DELETE; a refresh of one batch of the other send sees DELETE too", async () => {
    await deleteSentCampaign(db(), w.actor, w.accountId, "c-one", 0, { client: w.client });
    const rows = await db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, "c-one"));
    expect(rows.every((r) => r.wechatStatus === "DELETE" && r.deletedAt !== null)).toBe(true);
    // The material is the same: WeChat reports the other campaign's sends deleted as well.
    const [b2] = await db()
      .select()
      .from(campaignBatches)
      .where(and(eq(campaignBatches.campaignId, "c-two"), eq(campaignBatches.seq, 2)));
    expect(await refreshCampaignStatus(w.t.handle, w.accountId, "c-two", b2.id)).toEqual([{ seq: 2, status: "DELETE" }]);
    const two = await db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, "c-two")).orderBy(campaignBatches.seq);
    // Only the batch asked about was refreshed.
    expect(two.map((r) => r.wechatStatus === "DELETE")).toEqual([false, true]);
    // A batch id of another campaign is not reached through this one.
    expect(await refreshCampaignStatus(w.t.handle, w.accountId, "c-one", b2.id)).toEqual([]);
  });

  it("duplicates as a new draft with the message and audience, audited in the same transaction", async () => {
    const id = await duplicateCampaign(db(), w.actor, w.accountId, "c-two", "news c-two（副本）");
    const [c] = await db().select().from(campaigns).where(eq(campaigns.id, id!));
    expect(c).toMatchObject({
      state: "draft",
      name: "news c-two（副本）",
      messageType: "mpnews",
      audienceKind: "tag",
      tagId: 110,
      createdBy: w.actor.id,
      startedAt: null,
      sentCount: null,
    });
    expect(c.message).toEqual({ type: "mpnews", mediaId, titles: ["秋季新品", "第二篇"] });
    expect(await db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, id!))).toEqual([]);
    const [a] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id!), eq(auditLog.action, "campaign.duplicate")));
    expect(a.summary).toEqual({ from: "c-two", name: "news c-two（副本）" });
    expect(await duplicateCampaign(db(), w.actor, w.otherAccountId, "c-two", "x")).toBeNull();
  });
});
