import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { callbackEvents, callbackNonces, callbackRefusals, campaignBatches, campaigns } from "@/db/schema";
import { createAccount } from "@/lib/accounts/account-service";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { callbackAccountForm, safeModePush, signedSafeQuery } from "@/test/support/callback-push";
import { embeddedFsyncCount } from "@/db/durable-pglite";
import { applyInGroup } from "./apply-batch";
import { handlePush } from "./handle";
import { pruneNonces, recordPushBatched } from "./record";
import { applyPendingFinishes, applyPendingFinishFor, settleCompleteCampaigns } from "@/lib/campaigns/results";
import { callbackOverview } from "./overview";

// Robustness of the callback: what is recorded is never lost (apply failures, pushes that come
// before the worker stored msg_id), nonces are pruned, and admins see the refusals.
const TOKEN = "robustToken42";
const AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APPID = "wxcb00000000000002";

const finish = (msgId: string, sent = 40) =>
  `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[mphelper]]></FromUserName><CreateTime>1700000000</CreateTime>` +
  `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>${msgId}</MsgID><Status><![CDATA[send success]]></Status>` +
  `<TotalCount>50</TotalCount><FilterCount>45</FilterCount><SentCount>${sent}</SentCount><ErrorCount>5</ErrorCount>` +
  `<ArticleUrlResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/${msgId}]]>` +
  `</ArticleUrl></item></ResultList></ArticleUrlResult></xml>`;

let seq = 5000;
function signedSafe(xml: string, o: { token?: string } = {}) {
  return safeModePush(xml, { token: o.token ?? TOKEN, aesKey: AES, appid: APPID, nonce: String(seq++), toUserName: "gh_x" });
}

describeEachDriver("callback robustness", (driver) => {
  let t: TestDb;
  let accountId = "";
  const post = (p: { query: string; body: string }, remote: string | null = null) =>
    handlePush({ db: t.handle.db, remote }, accountId, new Request(`http://x/api/wechat/callback/${accountId}?${p.query}`, { method: "POST", body: p.body }));
  const eventOf = async (msgId: string) =>
    (
      await t.handle.db
        .select()
        .from(callbackEvents)
        .where(and(eq(callbackEvents.accountId, accountId), eq(callbackEvents.dedupeKey, `mass:${msgId}`)))
    )[0];
  const batchOf = async (campaignId: string) => (await t.handle.db.select().from(campaignBatches).where(eq(campaignBatches.campaignId, campaignId)))[0];
  const campaignOf = async (id: string) => (await t.handle.db.select().from(campaigns).where(eq(campaigns.id, id)))[0];
  async function campaignWithBatch(id: string, state: "sending" | "submitted", msgId: string | null) {
    await t.handle.db
      .insert(campaigns)
      .values({ id, accountId, name: id, state, messageType: "text", message: { type: "text", content: "x" }, audienceKind: "all" });
    await t.handle.db
      .insert(campaignBatches)
      .values({ campaignId: id, accountId, seq: 1, kind: "sendall", clientMsgId: `k-${id}`, state: msgId ? "submitted" : "submitting", msgId });
  }

  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY = "callback-robust-test";
    t = await createTestDb(driver);
    const a = await createAccount(t.handle.db, null, callbackAccountForm("robust", { appid: APPID, token: TOKEN, aesKey: AES }));
    accountId = a.id;
  });
  afterAll(async () => t?.dispose());

  it("refuses an ENTITY declaration without a DOCTYPE, inside the encrypted body and outside, storing nothing", async () => {
    const before = await t.handle.db.select().from(callbackEvents).where(eq(callbackEvents.accountId, accountId));
    const inner =
      `<xml><!ENTITY x SYSTEM "file:///etc/passwd"><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>` +
      `<MsgType>text</MsgType><Content>&x;</Content><MsgId>91</MsgId></xml>`;
    const r1 = await post(signedSafe(inner));
    expect(r1.status).toBe(400);
    expect(await r1.text()).toBe("doctype");
    // The same declaration in the outer envelope is refused before decrypting.
    const p = signedSafe(finish("92"));
    const r2 = await post({ ...p, body: p.body.replace("<xml>", `<xml><!ENTITY y "boom">`) });
    expect(await r2.text()).toBe("doctype");
    const after = await t.handle.db.select().from(callbackEvents).where(eq(callbackEvents.accountId, accountId));
    expect(after.length).toBe(before.length);
    const refused = await t.handle.db
      .select()
      .from(callbackRefusals)
      .where(and(eq(callbackRefusals.accountId, accountId), eq(callbackRefusals.reason, "doctype")));
    expect(refused).toHaveLength(2);
  });

  it("a result that comes before the worker stored msg_id is kept, then applied when the batch records it", async () => {
    await campaignWithBatch("c-early", "sending", null);
    const res = await post(signedSafe(finish("5551")));
    expect(await res.text()).toBe("success");
    const ev = await eventOf("5551");
    expect(ev).toMatchObject({ batchId: null, appliedAt: null });
    expect((await batchOf("c-early")).resultAt).toBeNull();

    // The worker stores the msg_id (as recordOutcome does), then looks for an early result.
    await t.handle.db.update(campaignBatches).set({ state: "submitted", msgId: "5551" }).where(eq(campaignBatches.campaignId, "c-early"));
    expect(await applyPendingFinishFor(t.handle.db, accountId, "5551")).toBe("c-early");
    const b = await batchOf("c-early");
    expect(b).toMatchObject({ resultStatus: "send success", totalCount: 50, filterCount: 45, sentCount: 40, errorCount: 5 });
    expect(b.articleUrls).toEqual([{ idx: 1, url: "https://mp.weixin.qq.com/s/5551" }]);
    expect(await eventOf("5551")).toMatchObject({ batchId: b.id });
    expect((await eventOf("5551")).appliedAt).not.toBeNull();
    // Still sending when the result came: once the campaign reaches "submitted" it is finished.
    expect((await campaignOf("c-early")).state).toBe("sending");
    await t.handle.db.update(campaigns).set({ state: "submitted" }).where(eq(campaigns.id, "c-early"));
    expect(await settleCompleteCampaigns(t.handle.db)).toBeGreaterThanOrEqual(1);
    expect(await campaignOf("c-early")).toMatchObject({ state: "finished", sentCount: 40 });
    // A second call finds nothing left to apply.
    expect(await applyPendingFinishFor(t.handle.db, accountId, "5551")).toBeNull();
  });

  it("when applying fails, WeChat still gets success, the push stays recorded with the error, and the sweep applies it later", async () => {
    await campaignWithBatch("c-fail", "submitted", "6661");
    // A real failure inside the database: a trigger refuses updates of this batch for now.
    await t.handle.db.execute(sql`create table cb_test_block (on_ boolean)`);
    await t.handle.db.execute(sql`insert into cb_test_block values (true)`);
    await t.handle.db.execute(
      sql.raw(`create function cb_test_refuse() returns trigger language plpgsql as $$
        begin
          if exists (select 1 from cb_test_block) and new.msg_id = '6661' then raise exception 'batch row locked by test'; end if;
          return new;
        end $$`),
    );
    await t.handle.db.execute(sql.raw(`create trigger cb_test_refuse before update on campaign_batches for each row execute function cb_test_refuse()`));
    try {
      const p = signedSafe(finish("6661", 33));
      const res = await post(p);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("success");
      const ev = await eventOf("6661");
      expect(ev.appliedAt).toBeNull();
      expect(ev.applyError).toMatch(/batch row locked by test/);
      expect((await batchOf("c-fail")).resultAt).toBeNull();
      // WeChat's retry is deduplicated (one record), as before: the sweep is what applies it.
      expect(await (await post(signedSafe(finish("6661", 33)))).text()).toBe("success");
      expect(await t.handle.db.select().from(callbackEvents).where(eq(callbackEvents.dedupeKey, "mass:6661"))).toHaveLength(1);
      expect((await callbackOverview(t.handle.db, accountId)).applyFailures).toBe(1);
      // While the failure lasts, the sweep keeps it pending.
      expect(await applyPendingFinishes(t.handle.db)).toBe(0);
    } finally {
      await t.handle.db.execute(sql`delete from cb_test_block`);
    }
    expect(await applyPendingFinishes(t.handle.db)).toBe(1);
    expect(await batchOf("c-fail")).toMatchObject({ sentCount: 33, resultStatus: "send success" });
    expect(await eventOf("6661")).toMatchObject({ applyError: null });
    expect(await campaignOf("c-fail")).toMatchObject({ state: "finished", sentCount: 33 });
    for (const q of ["drop trigger cb_test_refuse on campaign_batches", "drop function cb_test_refuse()", "drop table cb_test_block"])
      await t.handle.db.execute(sql.raw(q));
  });

  it("concurrent pushes are written together (group commit) with the same guarantees: each once, retries collapse, a replayed nonce refused", async () => {
    const distinct = Array.from({ length: 30 }, (_, i) => signedSafe(finish(`90${i}`)));
    const dup = signedSafe(finish("9100"));
    const replay = { ...signedSafe(finish("9200")), query: dup.query.replace(/msg_signature=[0-9a-f]+/, "") };
    // The replay reuses dup's nonce and timestamp, signed for its own body.
    const [ts, nonce] = [/timestamp=(\d+)/.exec(dup.query)![1], /nonce=(\d+)/.exec(dup.query)![1]];
    const enc = /<Encrypt><!\[CDATA\[(.*?)\]\]>/.exec(replay.body)![1];
    replay.query = signedSafeQuery(TOKEN, ts, nonce, enc);
    const answers = await Promise.all([...distinct.map((p) => post(p)), post(dup), post(dup), post(dup), post(replay)]);
    const texts = await Promise.all(answers.map((r) => r.text()));
    expect(texts.slice(0, 33).every((x) => x === "success")).toBe(true);
    expect(texts[33]).toBe("replayed-nonce");
    const rows = await t.handle.db.select({ k: callbackEvents.dedupeKey }).from(callbackEvents).where(eq(callbackEvents.accountId, accountId));
    const keys = rows.map((r) => r.k);
    for (let i = 0; i < 30; i++) expect(keys.filter((k) => k === `mass:90${i}`)).toHaveLength(1);
    expect(keys.filter((k) => k === "mass:9100")).toHaveLength(1);
    expect(keys).not.toContain("mass:9200");
  });

  it("a burst of results after a large send is applied in a few group commits: every push answered, every batch and campaign settled", async () => {
    // Ten campaigns of ten batches each, submitted; their 100 results arrive at once with one push
    // for a MsgID we never sent in the middle.
    for (let c = 0; c < 10; c++) {
      await t.handle.db.insert(campaigns).values({
        id: `c-burst-${c}`,
        accountId,
        name: `burst ${c}`,
        state: "submitted",
        messageType: "text",
        message: { type: "text", content: "x" },
        audienceKind: "list",
      });
      await t.handle.db.insert(campaignBatches).values(
        Array.from({ length: 10 }, (_, b) => ({
          campaignId: `c-burst-${c}`,
          accountId,
          seq: b,
          kind: "send" as const,
          clientMsgId: `k-burst-${c}-${b}`,
          state: "submitted" as const,
          msgId: `77${c}${b}`,
        })),
      );
    }
    const fsyncs = embeddedFsyncCount();
    const pushes = Array.from({ length: 100 }, (_, i) => signedSafe(finish(`77${Math.floor(i / 10)}${i % 10}`)));
    pushes.splice(50, 0, signedSafe(finish("7799999")));
    const texts = await Promise.all(pushes.map((p) => post(p).then((r) => r.text())));
    expect(texts).toEqual(pushes.map(() => "success"));
    // A push is answered within its time budget even when its result is still being applied (then
    // it finishes in the background): wait for the groups queued so far, oldest first.
    await applyInGroup(t.handle.db, async () => {});
    const batches = await t.handle.db
      .select()
      .from(campaignBatches)
      .where(sql`${campaignBatches.campaignId} like 'c-burst-%'`);
    expect(batches).toHaveLength(100);
    expect(batches.every((b) => b.resultStatus === "send success" && b.sentCount === 40)).toBe(true);
    const settled = await t.handle.db
      .select()
      .from(campaigns)
      .where(sql`${campaigns.id} like 'c-burst-%'`);
    expect(settled.map((c) => [c.state, c.sentCount])).toEqual(settled.map(() => ["finished", 400]));
    expect(await eventOf("7799999")).toMatchObject({ appliedAt: null, batchId: null });
    // On the embedded database every commit is an fsync on the process's only thread: one per
    // result (100 and more) would stall every request behind the disk; grouped, a handful.
    if (driver === "pglite") expect(embeddedFsyncCount() - fsyncs).toBeLessThan(40);
  });

  it("prunes nonces past the replay window and keeps the recent ones", async () => {
    await t.handle.db.insert(callbackNonces).values([
      { key: `${accountId}:old:1`, eventKey: "mass:x", at: new Date(Date.now() - 11 * 60_000) },
      { key: `${accountId}:new:1`, eventKey: "mass:y", at: new Date(Date.now() - 60_000) },
    ]);
    expect(await pruneNonces(t.handle.db)).toBeGreaterThanOrEqual(1);
    const keys = (await t.handle.db.select({ key: callbackNonces.key }).from(callbackNonces)).map((r) => r.key);
    expect(keys).toContain(`${accountId}:new:1`);
    expect(keys).not.toContain(`${accountId}:old:1`);
  });

  it("shows admins the refusal counts, the last refusals with their remote address, and the results from WeChat's own backend, without secrets", async () => {
    for (let i = 0; i < 3; i++) expect((await post(signedSafe(finish(`77${i}`), { token: "forged" }), "203.0.113.9")).status).toBe(403);
    const unknown = await post(signedSafe(finish("8888", 7)));
    expect(await unknown.text()).toBe("success");
    const o = await callbackOverview(t.handle.db, accountId, 100);
    expect(o.refusals.byReason.find((r) => r.reason === "bad-signature")?.count).toBe(3);
    expect(o.refusals.byReason.find((r) => r.reason === "doctype")?.count).toBe(2);
    expect(o.refusals.byReason.find((r) => r.reason === "replayed-nonce")?.count).toBe(1);
    expect(o.refusals.total).toBe(6);
    expect(o.refusals.last[0]).toMatchObject({ reason: "bad-signature", remote: "203.0.113.9" });
    expect(o.unmatched.last.map((u) => u.msgId)).toContain("8888");
    expect(o.unmatched.last.find((u) => u.msgId === "8888")).toMatchObject({ result: { sentCount: 7, totalCount: 50, status: "send success" } });
    // 8888 matches no batch; 5551 and 6661 were matched and are not listed.
    expect(o.unmatched.last.map((u) => u.msgId)).not.toContain("5551");
    expect(o.unmatched.count).toBe(o.unmatched.last.length);
    const json = JSON.stringify(o);
    for (const secret of [TOKEN, AES]) expect(json).not.toContain(secret);
  });
  it("group commit: pushes written together are each recorded once, and one the database refuses fails alone", async () => {
    const push = (k: number, raw = `<xml>${k}</xml>`) =>
      recordPushBatched(
        t.handle.db,
        `${accountId}:gc:${k}`,
        { accountId, dedupeKey: `gc:${k}`, msgType: "event", event: "TEST", fromUser: null, createTime: k, rawXml: raw, parsed: { k } },
        null,
      );
    // Postgres text cannot hold NUL: push 13 is refused by the database, the 39 written with it are not.
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, k) => (k === 13 ? push(k, "<xml>\u0000</xml>") : push(k))));
    expect(outcomes[13].status).toBe("rejected");
    const ok = outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof push>>>).value);
    expect(ok).toHaveLength(39);
    expect(ok.every((o) => o.nonce === "fresh" && typeof o.id === "number")).toBe(true);
    const rows = await t.handle.db
      .select({ key: callbackEvents.dedupeKey })
      .from(callbackEvents)
      .where(and(eq(callbackEvents.accountId, accountId), sql`${callbackEvents.dedupeKey} like 'gc:%'`));
    expect(rows).toHaveLength(39);
    expect(rows.some((r) => r.key === "gc:13")).toBe(false);
    // The same pushes again (WeChat's retries, same nonces): answered as retries, nothing new stored.
    const again = await Promise.all(
      Array.from({ length: 40 }, (_, k) => k)
        .filter((k) => k !== 13)
        .map((k) => push(k)),
    );
    expect(again.every((o) => o.nonce === "retry" && o.id === null)).toBe(true);
    expect(await t.handle.db.$count(callbackEvents, and(eq(callbackEvents.accountId, accountId), sql`${callbackEvents.dedupeKey} like 'gc:%'`))).toBe(39);
  });
});
