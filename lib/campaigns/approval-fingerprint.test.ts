import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, campaignBatches, campaigns, sandboxJobs, user, wechatAccounts } from "@/db/schema";
import { describeEachDriver } from "@/test/db";
import { sandboxWorld, type SandboxWorld } from "@/test/support/sandbox-world";
import { sandboxCredentials } from "@/lib/sandbox";
import { CampaignError, decideApproval, pauseCampaign, requestSend, resumeCampaign, saveCampaign, startScheduled, type CampaignJobs } from "./campaign-service";
import { BACK_TO_DRAFT, campaignFingerprint, CHANGED_AFTER_CLEARANCE } from "./fingerprint";
import { drainCampaign, releaseWorkerLock } from "./pipeline";
import type { CampaignFormValues } from "./schemas";
import { wechatMessenger } from "./wechat-messenger";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pub1 = { id: "u-pub1", email: "pub1@x.test" };
const pub2 = { id: "u-pub2", email: "pub2@x.test" };
const editor = { id: "u-edit", email: "edit@x.test" };

describeEachDriver("what was approved or scheduled is what is sent", (driver) => {
  let w: SandboxWorld;
  let accountName = "";
  const appid = sandboxCredentials()[0].appid;
  const queued: string[] = [];
  const jobs: CampaignJobs = { drain: async (id) => void queued.push(id), startAt: async () => {} };
  const db = () => w.t.handle.db;

  beforeAll(async () => {
    w = await sandboxWorld(driver);
    await db()
      .insert(user)
      .values([
        { id: pub1.id, name: "发布者甲", email: pub1.email, role: "publisher" },
        { id: pub2.id, name: "发布者乙", email: pub2.email, role: "publisher" },
        { id: editor.id, name: "编辑丙", email: editor.email, role: "editor" },
      ]);
    accountName = (await db().select().from(wechatAccounts).where(eq(wechatAccounts.id, w.accountId)))[0].name;
  });
  afterAll(async () => {
    if (w) await releaseWorkerLock(w.t.handle);
    await w?.close();
  });
  beforeEach(async () => {
    await db().update(wechatAccounts).set({ requiresApproval: true }).where(eq(wechatAccounts.id, w.accountId));
  });

  const tagSend = (name: string, content: string): CampaignFormValues => ({
    name,
    message: { type: "text", content },
    sendIgnoreReprint: 0,
    audience: { kind: "tag", tagId: 2, tagName: "VIP", tagCount: 5 },
  });
  const toAll = (name: string, content: string): CampaignFormValues => ({
    name,
    message: { type: "text", content },
    sendIgnoreReprint: 0,
    audience: { kind: "all", confirmName: accountName },
  });
  const save = (actor: typeof pub1, id: string | null, v: CampaignFormValues) =>
    saveCampaign(db(), actor, w.accountId, id, v, { message: v.message as { type: "text"; content: string }, searchText: v.name });
  const row = async (id: string) => (await db().select().from(campaigns).where(eq(campaigns.id, id)))[0];
  const batches = (id: string) => db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, id));
  const massSends = async () =>
    (
      await db()
        .select({ n: sql<number>`count(*)::int` })
        .from(sandboxJobs)
        .where(eq(sandboxJobs.appid, appid))
    )[0].n;
  const audits = (id: string, action: string) =>
    db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, action)));

  /** A publisher schedules a tag send, a second publisher approves it: scheduled, fingerprint stored. */
  async function approvedSchedule(name: string, inMs = 600) {
    const id = await save(pub1, null, tagSend(name, `只给 VIP 的消息 ${name}`));
    expect(await requestSend(db(), jobs, pub1, w.accountId, id, new Date(Date.now() + inMs))).toBe("awaiting_approval");
    await decideApproval(db(), jobs, pub2, w.accountId, id, true, "可以", {}, campaignFingerprint(await row(id)));
    const c = await row(id);
    expect(c).toMatchObject({ state: "scheduled", approvedBy: pub2.id, approvedFingerprint: campaignFingerprint(c) });
    return id;
  }

  it("the attack: approved tag send, then an editor swaps the text and the audience to all followers — back to draft, audited, and the scheduler sends nothing", async () => {
    const before = await massSends();
    const id = await approvedSchedule("attack");
    expect(await save(editor, id, toAll("attack", "发给所有粉丝的另一段话"))).toBe(id);

    const c = await row(id);
    expect(c).toMatchObject({ state: "draft", audienceKind: "all", approvedFingerprint: null, approvedBy: null, scheduledAt: null, lastError: BACK_TO_DRAFT });
    const [back] = await audits(id, "campaign.back-to-draft");
    expect(back).toMatchObject({ actorId: editor.id, summary: { from: "scheduled", to: "draft", approvedBy: pub2.id } });

    await sleep(700);
    expect(await startScheduled(db(), jobs, id)).toBe(false);
    expect(await batches(id)).toEqual([]);
    expect(queued).not.toContain(id);
    expect(await massSends()).toBe(before);

    // To go out now it needs a new request, and on this account a new approval.
    expect(await requestSend(db(), jobs, pub1, w.accountId, id, null)).toBe("awaiting_approval");
  });

  it("only the name changed: the schedule and the approval stay", async () => {
    const id = await approvedSchedule("rename", 60_000);
    const fp = (await row(id)).approvedFingerprint;
    await save(editor, id, tagSend("新名字", "只给 VIP 的消息 rename"));
    expect(await row(id)).toMatchObject({ name: "新名字", state: "scheduled", approvedFingerprint: fp, approvedBy: pub2.id });
    expect(await audits(id, "campaign.back-to-draft")).toEqual([]);
  });

  it.each([
    ["the message", sql`message = jsonb_set(message, '{content}', '"篡改后的内容"')`],
    ["the audience", sql`audience_kind = 'all', tag_id = null`],
    ["the tag", sql`tag_id = 99`],
    ["the stored fingerprint's absence", sql`approved_fingerprint = null`],
  ])("a direct database change of %s after approval: the scheduler refuses, the campaign returns to draft with the reason, audited", async (_what, change) => {
    const before = await massSends();
    const id = await approvedSchedule(`tamper-${String(_what)}`);
    await db().execute(sql`update campaigns set ${change} where id = ${id}`);
    await sleep(700);
    expect(await startScheduled(db(), jobs, id)).toBe(false);
    expect(await row(id)).toMatchObject({ state: "draft", lastError: CHANGED_AFTER_CLEARANCE, approvedFingerprint: null });
    expect(await batches(id)).toEqual([]);
    expect(queued).not.toContain(id);
    expect(await massSends()).toBe(before);
    const [refused] = await audits(id, "campaign.refused-changed");
    expect(refused).toMatchObject({ actorId: null, summary: { where: "start", from: "scheduled", to: "draft" } });
  });

  it("an untouched approved schedule starts at its time (the check lets the approved campaign through)", async () => {
    const id = await approvedSchedule("untouched");
    await sleep(700);
    expect(await startScheduled(db(), jobs, id)).toBe(true);
    expect(await row(id)).toMatchObject({ state: "sending" });
    expect(await batches(id)).toHaveLength(1);
  });

  it("a change while sending: the pipeline sends nothing and fails the campaign; a change while paused: resume refuses", async () => {
    await db().update(wechatAccounts).set({ requiresApproval: false }).where(eq(wechatAccounts.id, w.accountId));
    const before = await massSends();
    const id = await save(pub1, null, tagSend("mid-send", "原本的内容"));
    expect(await requestSend(db(), jobs, pub1, w.accountId, id, null, {}, campaignFingerprint(await row(id)))).toBe("sending");
    await db().execute(sql`update campaigns set message = jsonb_set(message, '{content}', '"篡改"') where id = ${id}`);
    expect(await drainCampaign({ handle: w.t.handle, messenger: wechatMessenger(w.t.handle) }, id)).toEqual({ kind: "stopped", state: "failed" });
    expect(await row(id)).toMatchObject({ state: "failed", lastError: CHANGED_AFTER_CLEARANCE });
    expect((await batches(id)).map((b) => b.state)).toEqual(["cancelled"]);
    expect(await massSends()).toBe(before);
    expect(await audits(id, "campaign.refused-changed")).toHaveLength(1);

    const p = await save(pub1, null, tagSend("paused", "暂停前的内容"));
    await requestSend(db(), jobs, pub1, w.accountId, p, null);
    await pauseCampaign(db(), pub1, w.accountId, p);
    await db().execute(sql`update campaigns set tag_id = 99 where id = ${p}`);
    const e = await resumeCampaign(db(), jobs, pub1, w.accountId, p).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CampaignError);
    expect((e as CampaignError).code).toBe("changedAfterClearance");
    expect(await row(p)).toMatchObject({ state: "failed", lastError: CHANGED_AFTER_CLEARANCE });
    expect(await audits(p, "campaign.refused-changed")).toMatchObject([{ actorId: pub1.id, summary: { where: "resume", from: "paused", to: "failed" } }]);
    expect(await massSends()).toBe(before);
  });

  it("a page that showed something else: sending and approving are refused, nothing changes", async () => {
    const id = await save(pub1, null, tagSend("stale", "第一版"));
    const seenFirst = campaignFingerprint(await row(id));
    await save(editor, id, tagSend("stale", "第二版"));
    const e1 = await requestSend(db(), jobs, pub1, w.accountId, id, null, {}, seenFirst).catch((x: unknown) => x);
    expect((e1 as CampaignError).code).toBe("changedSinceViewed");
    expect((await row(id)).state).toBe("draft");
    await requestSend(db(), jobs, pub1, w.accountId, id, null, {}, campaignFingerprint(await row(id)));
    const e2 = await decideApproval(db(), jobs, pub2, w.accountId, id, true, "", {}, seenFirst).catch((x: unknown) => x);
    expect((e2 as CampaignError).code).toBe("changedSinceViewed");
    expect(await row(id)).toMatchObject({ state: "awaiting_approval", approvedFingerprint: null });
  });

  it("an edit racing the approval, and an edit racing the start, in parallel: whatever wins, what is scheduled or sent is exactly what was approved", async () => {
    // Approval against edit: the campaign awaits approval (not editable), or is already approved.
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => save(pub1, null, tagSend(`race-${i}`, `审批版 ${i}`))));
    for (const id of ids) await requestSend(db(), jobs, pub1, w.accountId, id, new Date(Date.now() + 800));
    const seen = await Promise.all(ids.map(async (id) => campaignFingerprint(await row(id))));
    await Promise.allSettled(
      ids.flatMap((id, i) => [decideApproval(db(), jobs, pub2, w.accountId, id, true, "", {}, seen[i]), save(editor, id, toAll(`race-${i}`, `改过 ${i}`))]),
    );
    for (const [i, id] of ids.entries()) {
      const c = await row(id);
      if (c.state === "scheduled") expect(c).toMatchObject({ message: { content: `审批版 ${i}` }, approvedFingerprint: seen[i] });
      else expect(c).toMatchObject({ state: "draft", approvedFingerprint: null });
    }
    // Now every scheduled one is due: the start and an edit race.
    await sleep(900);
    const before = await massSends();
    const results = await Promise.allSettled(ids.flatMap((id, i) => [startScheduled(db(), jobs, id), save(editor, id, toAll(`race-${i}`, `开始时改 ${i}`))]));
    expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason instanceof CampaignError)).toBe(true);
    for (const [i, id] of ids.entries()) {
      const c = await row(id);
      const b = await batches(id);
      if (b.length > 0) {
        expect(c).toMatchObject({ state: "sending", audienceKind: "tag", message: { content: `审批版 ${i}` } });
        expect(campaignFingerprint(c)).toBe(c.approvedFingerprint);
      } else expect(c.state).toBe("draft");
    }
    expect(await massSends()).toBe(before);
  });
});
