import { afterAll, beforeAll, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { callbackEvents, callbackRefusals, campaignBatches, campaigns, wechatAccounts } from "@/db/schema";
import { createAccount, updateAccount } from "@/lib/accounts/account-service";
import { buildXml, encryptMessage, msgSignature, sha1Sorted } from "@/lib/wechat";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { callbackAccountForm } from "@/test/support/callback-push";
import { openDatabase } from "@/db/client";
import { handlePush, handleVerify } from "./handle";
import { forgetCallbackAccount } from "@/lib/accounts/callback-account";
import { sealSecret } from "@/lib/crypto/secret-box";

const TOKEN = "cbToken123";
const AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const AES2 = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj";
const APPID = "wxcb00000000000001";

// The full MASSSENDJOBFINISH sample from Senparc.Weixin's tests, with our MsgID.
const sample = (
  msgId: string,
) => `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
<CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>
<MsgID>${msgId}</MsgID><Status><![CDATA[err(30003)]]></Status><TotalCount>100</TotalCount><FilterCount>80</FilterCount>
<SentCount>75</SentCount><ErrorCount>5</ErrorCount>
<CopyrightCheckResult><Count>2</Count><ResultList><item><ArticleIdx>1</ArticleIdx><UserDeclareState>0</UserDeclareState>
<AuditState>2</AuditState><OriginalArticleUrl><![CDATA[Url_1]]></OriginalArticleUrl><OriginalArticleType>1</OriginalArticleType>
<CanReprint>1</CanReprint><NeedReplaceContent>1</NeedReplaceContent><NeedShowReprintSource>1</NeedShowReprintSource></item>
<item><ArticleIdx>2</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>2</AuditState><OriginalArticleUrl><![CDATA[Url_2]]></OriginalArticleUrl><OriginalArticleType>1</OriginalArticleType><CanReprint>1</CanReprint><NeedReplaceContent>1</NeedReplaceContent><NeedShowReprintSource>1</NeedShowReprintSource></item></ResultList><CheckState>2</CheckState></CopyrightCheckResult>
<ArticleUrlResult><Count>2</Count><ResultList><item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[Url_1]]></ArticleUrl></item>
<item><ArticleIdx>2</ArticleIdx><ArticleUrl><![CDATA[Url_2]]></ArticleUrl></item></ResultList></ArticleUrlResult></xml>`;

let nonceSeq = 1000;
function signed(
  xml: string,
  mode: "plaintext" | "compatible" | "safe",
  o: { aes?: string; appid?: string; timestamp?: number; nonce?: string; token?: string } = {},
) {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? String(nonceSeq++);
  const token = o.token ?? TOKEN;
  let query = `signature=${sha1Sorted([token, timestamp, nonce])}&timestamp=${timestamp}&nonce=${nonce}`;
  let body = xml;
  if (mode !== "plaintext") {
    const enc = encryptMessage(xml, o.aes ?? AES, o.appid ?? APPID);
    query += `&encrypt_type=aes&msg_signature=${msgSignature(token, timestamp, nonce, enc)}`;
    body = mode === "safe" ? buildXml({ ToUserName: "gh_x", Encrypt: enc }) : xml.replace(/<\/xml>$/, `<Encrypt><![CDATA[${enc}]]></Encrypt></xml>`);
  }
  return { query, body, timestamp, nonce };
}

describeEachDriver("callback route", (driver) => {
  let t: TestDb;
  const ids: Record<string, string> = {};
  const post = (mode: string, p: { query: string; body: string }, headers: Record<string, string> = {}, deps: { relayPrivateAllowed?: boolean } = {}) =>
    handlePush(
      { db: t.handle.db, ...deps },
      ids[mode],
      new Request(`http://x/api/wechat/callback/${ids[mode]}?${p.query}`, { method: "POST", body: p.body, headers }),
    );
  const events = async (accountId: string) => t.handle.db.select().from(callbackEvents).where(eq(callbackEvents.accountId, accountId));
  // The row as another instance would change it, then dropped from this process's cache as
  // updateAccount does after its commit.
  const setRelay = async (accountId: string, relayUrl: string) => {
    await t.handle.db.update(wechatAccounts).set({ relayUrl }).where(eq(wechatAccounts.id, accountId));
    forgetCallbackAccount(accountId);
  };
  const refusals = async (accountId: string) => t.handle.db.select().from(callbackRefusals).where(eq(callbackRefusals.accountId, accountId));

  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY = "callback-test";
    t = await createTestDb(driver);
    for (const mode of ["plaintext", "compatible", "safe"] as const) {
      const a = await createAccount(t.handle.db, null, callbackAccountForm(mode, { appid: APPID, token: TOKEN, aesKey: AES, messageMode: mode }));
      ids[mode] = a.id;
      await t.handle.db.insert(campaigns).values({
        id: `c-${mode}`,
        accountId: a.id,
        name: mode,
        state: "submitted",
        messageType: "mpnews",
        message: { type: "mpnews", mediaId: "m" },
        audienceKind: "all",
      });
      await t.handle.db
        .insert(campaignBatches)
        .values({ campaignId: `c-${mode}`, accountId: a.id, seq: 1, kind: "sendall", clientMsgId: `k-${mode}`, state: "submitted", msgId: "1000001625" });
    }
  });
  afterAll(async () => t?.dispose());

  for (const mode of ["plaintext", "compatible", "safe"] as const) {
    it(`records the full MASSSENDJOBFINISH sample once in ${mode} mode and finishes the campaign`, async () => {
      const p = signed(sample("1000001625"), mode);
      // WeChat's first push and its three retries: one record.
      for (let i = 0; i < 4; i++) {
        const res = await post(mode, p);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe("success");
      }
      const ev = await events(ids[mode]);
      expect(ev).toHaveLength(1);
      expect(ev[0]).toMatchObject({ dedupeKey: "mass:1000001625", event: "MASSSENDJOBFINISH" });
      const [b] = await t.handle.db
        .select()
        .from(campaignBatches)
        .where(eq(campaignBatches.campaignId, `c-${mode}`));
      expect(b).toMatchObject({ resultStatus: "err(30003)", totalCount: 100, filterCount: 80, sentCount: 75, errorCount: 5 });
      expect(b.articleUrls).toEqual([
        { idx: 1, url: "Url_1" },
        { idx: 2, url: "Url_2" },
      ]);
      expect((b.copyright as { CheckState: number; ResultList: unknown[] }).CheckState).toBe(2);
      expect((b.copyright as { ResultList: Record<string, unknown>[] }).ResultList[1]).toMatchObject({
        ArticleIdx: 2,
        AuditState: 2,
        OriginalArticleUrl: "Url_2",
        CanReprint: 1,
        NeedReplaceContent: 1,
        NeedShowReprintSource: 1,
      });
      const [c] = await t.handle.db
        .select()
        .from(campaigns)
        .where(eq(campaigns.id, `c-${mode}`));
      expect(c).toMatchObject({ state: "finished", totalCount: 100, filterCount: 80, sentCount: 75, errorCount: 5 });
    });
  }

  it("keeps an unknown MsgID (a send from WeChat's own backend) as an event only", async () => {
    const res = await post("safe", signed(sample("999"), "safe"));
    expect(res.status).toBe(200);
    const ev = (await events(ids.safe)).find((e) => e.dedupeKey === "mass:999");
    expect(ev?.batchId).toBeNull();
  });

  it("refuses a bad signature, a stale timestamp, a replayed nonce, a large body, a DOCTYPE, malformed XML and a wrong appid, storing no event", async () => {
    const before = (await events(ids.safe)).length;
    const ok = signed(sample("1"), "safe");
    const cases: [string, { query: string; body: string }, number][] = [
      ["bad-signature", { ...ok, query: ok.query.replace(/signature=[0-9a-f]+/, "signature=" + "0".repeat(40)) }, 403],
      ["bad-signature", signed(sample("2"), "safe", { token: "otherToken" }), 403],
      ["stale-timestamp", signed(sample("3"), "safe", { timestamp: Math.floor(Date.now() / 1000) - 600 }), 403],
      ["too-large", signed(`<xml><A>${"x".repeat(300 * 1024)}</A></xml>`, "plaintext"), 413],
      ["doctype", signed(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><A>&e;</A></xml>`, "safe"), 400],
      ["malformed", signed(`<xml><A>1</B></xml>`, "safe"), 400],
      ["wrong-appid", signed(sample("4"), "safe", { appid: "wxsomeoneelse00001" }), 403],
      ["decrypt-failed", signed(sample("5"), "safe", { aes: AES2 }), 403],
    ];
    for (const [reason, p, status] of cases) {
      const res = await post("safe", p);
      expect(res.status, reason).toBe(status);
      expect(await res.text(), reason).toBe(reason);
    }
    // A signed request replayed with a different event under the same nonce.
    const first = signed(sample("6"), "safe", { nonce: "77777" });
    expect((await post("safe", first)).status).toBe(200);
    const replay = signed(sample("7"), "safe", { nonce: "77777", timestamp: Number(first.timestamp) });
    const r = await post("safe", replay);
    expect(r.status).toBe(403);
    expect(await r.text()).toBe("replayed-nonce");
    const after = await events(ids.safe);
    expect(after.length).toBe(before + 1);
    expect(after.some((e) => e.dedupeKey === "mass:7")).toBe(false);
    const refused = (await refusals(ids.safe)).map((x) => x.reason);
    for (const reason of ["bad-signature", "stale-timestamp", "too-large", "doctype", "malformed", "wrong-appid", "decrypt-failed", "replayed-nonce"])
      expect(refused).toContain(reason);
  });

  it("refuses a push nested 4 000 deep (plain or encrypted) as malformed and counts it, and one nested 20 000 deep already for its size; a wide push of WeChat's shape is still accepted", async () => {
    const deep = (n: number) => `<xml><MsgType>event</MsgType>${"<a>".repeat(n)}x${"</a>".repeat(n)}</xml>`;
    const countBefore = async (accountId: string) => (await refusals(accountId)).filter((x) => x.reason === "malformed").length;
    for (const mode of ["safe", "plaintext"] as const) {
      const before = await countBefore(ids[mode]);
      const evBefore = (await events(ids[mode])).length;
      // Several at once, as an attacker would send them.
      // 20 000 deep is over the route's 64 KB body limit: refused (and counted) before any parsing.
      const huge = await post(mode, signed(deep(20_000), mode));
      expect(huge.status, mode).toBe(413);
      expect(await huge.text(), mode).toBe("too-large");
      // Under the size limit, still far deeper than any push of WeChat's.
      const answers = await Promise.all([0, 1, 2].map(() => post(mode, signed(deep(4_000), mode))));
      for (const res of answers) {
        expect(res.status, mode).toBe(400);
        expect(await res.text(), mode).toBe("malformed");
      }
      const now = (await refusals(ids[mode])).filter((x) => x.reason === "malformed");
      expect(now.length - before, mode).toBe(3);
      expect(now.at(-1)?.detail, mode).toMatchObject({ why: expect.stringMatching(/nest/) });
      expect((await events(ids[mode])).length, mode).toBe(evBefore);
    }
    // 400 results in one list (near the 64 KB size limit once encrypted): wide, but only as deep as WeChat's own pushes.
    const items = Array.from({ length: 400 }, (_, i) => `<item><ArticleIdx>${i + 1}</ArticleIdx><ArticleUrl><![CDATA[Url_${i}]]></ArticleUrl></item>`).join("");
    const wide = sample("1000009999").replace(
      /<ArticleUrlResult>[\s\S]*<\/ArticleUrlResult>/,
      `<ArticleUrlResult><Count>400</Count><ResultList>${items}</ResultList></ArticleUrlResult>`,
    );
    const res = await post("safe", signed(wide, "safe"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("success");
    expect((await events(ids.safe)).some((e) => e.dedupeKey === "mass:1000009999")).toBe(true);
  });

  it("in safe mode refuses a plaintext push even when correctly signed", async () => {
    const res = await post("safe", signed(sample("8"), "plaintext"));
    expect(res.status).toBe(403);
  });

  it("after the EncodingAESKey changes, the previous key still decrypts", async () => {
    const [row] = await t.handle.db.select().from(wechatAccounts).where(eq(wechatAccounts.id, ids.compatible));
    await updateAccount(t.handle.db, { id: "u", email: "a@x" }, ids.compatible, {
      name: row.name,
      appid: row.appid,
      appSecret: "",
      type: row.type,
      verified: row.verified,
      callbackToken: "",
      encodingAesKey: AES2,
      messageMode: row.messageMode,
      relayUrl: "",
      apiBaseUrl: row.apiBaseUrl,
      timezone: row.timezone,
      requiresApproval: false,
    });
    expect((await post("compatible", signed(sample("11"), "compatible", { aes: AES }))).status).toBe(200);
    expect((await post("compatible", signed(sample("12"), "compatible", { aes: AES2 }))).status).toBe(200);
    expect((await events(ids.compatible)).map((e) => e.dedupeKey)).toEqual(expect.arrayContaining(["mass:11", "mass:12"]));
  });

  it("answers URL verification with echostr only under a correct signature, and records it", async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const good = await handleVerify(
      { db: t.handle.db },
      ids.plaintext,
      new URL(`http://x/?signature=${sha1Sorted([TOKEN, ts, "5"])}&timestamp=${ts}&nonce=5&echostr=hello123`),
    );
    expect(await good.text()).toBe("hello123");
    const bad = await handleVerify(
      { db: t.handle.db },
      ids.plaintext,
      new URL(`http://x/?signature=${"1".repeat(40)}&timestamp=${ts}&nonce=5&echostr=hello123`),
    );
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain("hello123");
    const [a] = await t.handle.db.select().from(wechatAccounts).where(eq(wechatAccounts.id, ids.plaintext));
    expect(a.callbackVerifiedAt).not.toBeNull();
  });

  it("relays every other push unchanged to the account's server, whose own signature check passes, and returns its reply", async () => {
    let seen: { url: string; body: string } | null = null;
    const downstream = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const u = new URL(req.url!, "http://x");
        const ok =
          sha1Sorted([TOKEN, u.searchParams.get("timestamp")!, u.searchParams.get("nonce")!]) === u.searchParams.get("signature") &&
          msgSignature(TOKEN, u.searchParams.get("timestamp")!, u.searchParams.get("nonce")!, /<Encrypt><!\[CDATA\[(.*?)\]\]>/.exec(body)![1]) ===
            u.searchParams.get("msg_signature");
        seen = { url: req.url!, body };
        res.end(ok ? "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content></xml>" : "bad");
      });
    });
    await new Promise<void>((r) => downstream.listen(0, "127.0.0.1", r));
    try {
      await setRelay(ids.safe, `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/wx`);
      const msg =
        `<xml><ToUserName>gh</ToUserName><FromUserName>oUser</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>` +
        `<MsgType>text</MsgType><Content>你好</Content><MsgId>6051729637017174211</MsgId></xml>`;
      const p = signed(msg, "safe");
      const res = await post("safe", p, {}, { relayPrivateAllowed: true });
      expect(await res.text()).toContain("<Content><![CDATA[hi]]></Content>");
      expect(seen!.body).toBe(p.body);
      expect(seen!.url).toBe(`/wx?${p.query}`);
      const ev = (await events(ids.safe)).find((e) => e.dedupeKey === "msg:6051729637017174211");
      expect(ev?.relayStatus).toBe("ok");
      // A failing downstream does not change the answer to WeChat.
      await setRelay(ids.safe, "http://127.0.0.1:1/down");
      const r2 = await post("safe", signed(msg.replace("6051729637017174211", "6051729637017174212"), "safe"), {}, { relayPrivateAllowed: true });
      expect(await r2.text()).toBe("success");
      // Without the operator's leave, a relay URL into the console's own network is not posted to:
      // the push is recorded, WeChat gets "success", and the event says why nothing was relayed.
      seen = null;
      await setRelay(ids.safe, `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/wx`);
      const r3 = await post("safe", signed(msg.replace("6051729637017174211", "6051729637017174213"), "safe"));
      expect(await r3.text()).toBe("success");
      expect(seen).toBeNull();
      const refused = (await events(ids.safe)).find((e) => e.dedupeKey === "msg:6051729637017174213");
      expect(refused?.relayStatus).toBe("refused: not a public address");
    } finally {
      downstream.close();
    }
  });

  if (driver === "pg") {
    it("the same push on two instances at once makes one record", async () => {
      const other = await openDatabase({ databaseUrl: t.url!, migrate: false });
      try {
        const p = signed(sample("424242"), "safe");
        const send = (db: typeof t.handle.db) => handlePush({ db }, ids.safe, new Request(`http://x/cb?${p.query}`, { method: "POST", body: p.body }));
        const rs = await Promise.all([send(t.handle.db), send(other.db), send(t.handle.db), send(other.db)]);
        for (const r of rs) expect(await r.text()).toBe("success");
        const n = await t.handle.db.execute(sql`select count(*)::int as n from callback_events where dedupe_key = 'mass:424242'`);
        expect((n as unknown as { rows: { n: number }[] }).rows[0].n).toBe(1);
      } finally {
        await other.close();
      }
    });
  }
  it("reads the account again before refusing: a token changed by another instance is accepted at once, the old one refused", async () => {
    const id = ids.plaintext;
    const setToken = async (token: string) =>
      t.handle.db
        .update(wechatAccounts)
        .set({ callbackTokenEnc: sealSecret(token, `account:${id}:callbackToken`) })
        .where(eq(wechatAccounts.id, id));
    // This process has the account cached from the push before the change.
    expect(await (await post("plaintext", signed(sample("3000000001"), "plaintext"))).text()).toBe("success");
    await setToken("tokenFromElsewhere9");
    try {
      const p = signed(sample("3000000002"), "plaintext", { token: "tokenFromElsewhere9" });
      const res = await post("plaintext", p);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("success");
      expect((await events(id)).some((e) => e.dedupeKey === "mass:3000000002")).toBe(true);
      const old = await post("plaintext", signed(sample("3000000003"), "plaintext"));
      expect(old.status).toBe(403);
      expect((await events(id)).some((e) => e.dedupeKey === "mass:3000000003")).toBe(false);
    } finally {
      await setToken(TOKEN);
      forgetCallbackAccount(id);
    }
  });
});
