import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { sandboxFollowers, sandboxJobs, sandboxTokens } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { runDueSandboxJobs, sandboxCredentials, sbDecrypt, sbSignature, seedSandbox, setSandboxCallback, setSandboxSettings } from "./index";
import { tag } from "./test-support";

// One HTTP-level test per rule of the simulated WeChat, named after the rule. Pushes are checked
// with the sandbox's own crypto, itself checked against wechatpy's published vectors
// (crypto.test.ts); nothing here imports lib/wechat.
describeEachDriver("sandbox rules over HTTP", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  const [svc, sub] = sandboxCredentials();
  let base = "";
  let token = "";
  let subToken = "";
  let openids: string[] = [];
  let jpg: Buffer;

  const get = async (path: string, q: Record<string, string> = {}) => (await fetch(`${base}/cgi-bin/${path}?${new URLSearchParams(q)}`)).json();
  const post = async (path: string, body: unknown, tok = token, extra: Record<string, string> = {}) =>
    (await fetch(`${base}/cgi-bin/${path}?${new URLSearchParams({ access_token: tok, ...extra })}`, { method: "POST", body: JSON.stringify(body) })).json();
  const upload = async (path: string, bytes: Buffer, name: string, q: Record<string, string> = {}) => {
    const fd = new FormData();
    fd.append("media", new Blob([new Uint8Array(bytes)]), name);
    return (await fetch(`${base}/cgi-bin/${path}?${new URLSearchParams({ access_token: token, ...q })}`, { method: "POST", body: fd })).json();
  };
  const text = (content: string) => ({ msgtype: "text", text: { content } });

  beforeAll(async () => {
    t = await createTestDb(driver);
    server = await startTestServer(t.handle.db);
    base = `${server.url}/sandbox-api`;
    await seedSandbox(t.handle.db, { followers: 300 });
    openids = (await t.handle.db.select({ o: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, svc.appid)).orderBy(sandboxFollowers.seq)).map((r) => r.o);
    token = (await get("token", { grant_type: "client_credential", appid: svc.appid, secret: svc.secret })).access_token;
    subToken = (await get("token", { grant_type: "client_credential", appid: sub.appid, secret: sub.secret })).access_token;
    jpg = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#0a0" } }).jpeg().toBuffer();
  });
  beforeEach(async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 60 });
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  it("seed: 28-character OpenIDs, a dozen overlapping tags, WeChat IDs for preview", async () => {
    expect(openids).toHaveLength(300);
    expect(openids.every((o) => /^[A-Za-z0-9_-]{28}$/.test(o))).toBe(true);
    const tags = (await get("tags/get", { access_token: token })).tags;
    expect(tags).toHaveLength(12);
    expect(tags.find((x: { id: number }) => x.id === 110).count).toBeGreaterThanOrEqual(5);
  });

  it("token: a new token works, a superseded one for 5 minutes, then 40001; missing 41001; unknown 40001; wrong secret 40125", async () => {
    const a = (await get("token", { grant_type: "client_credential", appid: svc.appid, secret: svc.secret })).access_token;
    const b = (await get("token", { grant_type: "client_credential", appid: svc.appid, secret: svc.secret })).access_token;
    expect(a).not.toBe(b);
    expect((await post("message/mass/get", { msg_id: 1 }, a)).errcode).not.toBe(40001);
    await t.handle.db.update(sandboxTokens).set({ supersededAt: new Date(Date.now() - 6 * 60_000) }).where(eq(sandboxTokens.token, a));
    expect((await post("message/mass/get", { msg_id: 1 }, a)).errcode).toBe(40001);
    expect((await (await fetch(`${base}/cgi-bin/tags/get`)).json()).errcode).toBe(41001);
    expect((await post("tags/get", {}, "SBXC_" + "x".repeat(48))).errcode).toBe(40001);
    expect((await get("token", { grant_type: "client_credential", appid: svc.appid, secret: "wrong" })).errcode).toBe(40125);
    token = b;
  });

  it("token: an expired token gives 42001", async () => {
    const x = (await get("token", { grant_type: "client_credential", appid: svc.appid, secret: svc.secret })).access_token;
    await t.handle.db.update(sandboxTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sandboxTokens.token, x));
    expect((await post("message/mass/get", { msg_id: 1 }, x)).errcode).toBe(42001);
    token = (await get("token", { grant_type: "client_credential", appid: svc.appid, secret: svc.secret })).access_token;
  });

  it("stable_token: the same token while valid; force_refresh replaces it, at most once per 30 s", async () => {
    const body = { grant_type: "client_credential", appid: svc.appid, secret: svc.secret };
    const s1 = await (await fetch(`${base}/cgi-bin/stable_token`, { method: "POST", body: JSON.stringify(body) })).json();
    const s2 = await (await fetch(`${base}/cgi-bin/stable_token`, { method: "POST", body: JSON.stringify(body) })).json();
    expect(s2.access_token).toBe(s1.access_token);
    const f1 = await (await fetch(`${base}/cgi-bin/stable_token`, { method: "POST", body: JSON.stringify({ ...body, force_refresh: true }) })).json();
    expect(f1.access_token).not.toBe(s1.access_token);
    expect((await post("message/mass/get", { msg_id: 1 }, s1.access_token)).errcode).toBe(40001);
    const f2 = await (await fetch(`${base}/cgi-bin/stable_token`, { method: "POST", body: JSON.stringify({ ...body, force_refresh: true }) })).json();
    expect(f2.errcode).toBe(45011);
  });

  it("media: types by content and size limits per type (40004, 40006); uploadimg returns a URL the sandbox serves", async () => {
    expect((await upload("media/upload", jpg, "a.jpg", { type: "thumb" })).thumb_media_id).toBeTruthy();
    expect((await upload("media/upload", Buffer.from("not an image"), "a.jpg", { type: "image" })).errcode).toBe(40004);
    expect((await upload("media/upload", Buffer.concat([jpg, Buffer.alloc(70 * 1024)]), "big.jpg", { type: "thumb" })).errcode).toBe(40006);
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#f00" } }).png().toBuffer();
    expect((await upload("media/upload", png, "a.png", { type: "thumb" })).errcode).toBe(40004);
    const img = await upload("media/uploadimg", png, "in.png");
    expect(img.url).toMatch(/\/sandbox-api\/mmbiz\//);
    expect((await upload("media/uploadimg", Buffer.concat([jpg, Buffer.alloc(1024 * 1024)]), "huge.jpg")).errcode).toBe(40006);
    const amr = Buffer.concat([Buffer.from("#!AMR\n"), Buffer.alloc(100)]);
    expect((await upload("media/upload", amr, "v.amr", { type: "voice" })).media_id).toBeTruthy();
  });

  async function news(articles: number, content = "<p>正文</p>") {
    const thumb = (await upload("media/upload", jpg, "t.jpg", { type: "thumb" })).thumb_media_id;
    return post("media/uploadnews", { articles: Array.from({ length: articles }, (_, i) => ({ thumb_media_id: thumb, title: `标题 ${i + 1}`, content })) });
  }

  it("uploadnews: 1–8 articles (44003 empty, 45008 over 8), content size (45002), a thumb that exists (40007)", async () => {
    expect((await news(1)).media_id).toMatch(/^NEWS_/);
    expect((await post("media/uploadnews", { articles: [] })).errcode).toBe(44003);
    expect((await news(9)).errcode).toBe(45008);
    expect((await news(1, "x".repeat(20_000))).errcode).toBe(45002);
    expect((await post("media/uploadnews", { articles: [{ thumb_media_id: "nope", title: "t", content: "c" }] })).errcode).toBe(40007);
  });

  it("uploadvideo: turns a video media_id into a mass-send video; mpvideo needs that id, and msgtype video is 40008", async () => {
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypmp42"), Buffer.alloc(200)]);
    const v = await upload("media/upload", mp4, "v.mp4", { type: "video" });
    const mv = await post("media/uploadvideo", { media_id: v.media_id, title: "T", description: "D" });
    expect(mv.type).toBe("video");
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, msgtype: "mpvideo", mpvideo: { media_id: v.media_id }, clientmsgid: "v1" })).errcode).toBe(40007);
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, msgtype: "video", video: { media_id: mv.media_id }, clientmsgid: "v2" })).errcode).toBe(40008);
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, msgtype: "mpvideo", mpvideo: { media_id: mv.media_id }, clientmsgid: "v3" })).errcode).toBe(0);
  });

  it("sendall: tag_id (45159 unknown), is_to_all; msg_data_id only for mpnews", async () => {
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 9999 }, ...text("x"), clientmsgid: "s1" })).errcode).toBe(45159);
    const n = await news(2);
    const r = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: "110" }, msgtype: "mpnews", mpnews: { media_id: n.media_id }, send_ignore_reprint: 0, clientmsgid: "s2" });
    expect(r).toMatchObject({ errcode: 0, errmsg: "send job submission success" });
    expect(r.msg_data_id).toBeTruthy();
    const r2 = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("hello"), clientmsgid: "s3" });
    expect(r2.msg_data_id).toBeUndefined();
  });

  it("send: 40130 under 2 OpenIDs, 40032 over 10 000, 40003 malformed; subscription accounts 48001", async () => {
    expect((await post("message/mass/send", { touser: [openids[0]], ...text("x"), clientmsgid: "o1" })).errcode).toBe(40130);
    expect((await post("message/mass/send", { touser: Array(10_001).fill(openids[0]), ...text("x"), clientmsgid: "o2" })).errcode).toBe(40032);
    expect((await post("message/mass/send", { touser: [openids[0], "bad"], ...text("x"), clientmsgid: "o3" })).errcode).toBe(40003);
    expect((await post("message/mass/send", { touser: openids.slice(0, 2), ...text("x"), clientmsgid: "o4" }, subToken)).errcode).toBe(48001);
    expect((await post("message/mass/send", { touser: openids.slice(0, 2), ...text("x"), clientmsgid: "o5" })).errcode).toBe(0);
  });

  it("clientmsgid: repeat within a minute 45066, later 45065 with the msg_id; over 64 bytes 45067; without one a digest of target and content", async () => {
    const first = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("c1"), clientmsgid: "dup-1" });
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("c1"), clientmsgid: "dup-1" })).errcode).toBe(45066);
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 0 });
    expect(await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("c1"), clientmsgid: "dup-1" })).toEqual({ errcode: 45065, errmsg: "clientmsgid exist", msg_id: first.msg_id });
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("c1"), clientmsgid: "x".repeat(65) })).errcode).toBe(45067);
    const a = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 100 }, ...text("same content") });
    const b = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 100 }, ...text("same content") });
    expect(b).toEqual({ errcode: 45065, errmsg: "clientmsgid exist", msg_id: a.msg_id });
  });

  it("limits: over the minute's limit 45011; a subscription account sends once a day (45028)", async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 2, dailyLimit: 10_000 });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text(`m${i}`), clientmsgid: `lim-${Date.now()}-${i}` })).errcode);
    expect(codes).toContain(45011);
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("s"), clientmsgid: "sub1" }, subToken)).errcode).toBe(0);
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("s2"), clientmsgid: "sub2" }, subToken)).errcode).toBe(45028);
  });

  it("preview: towxname wins over touser; unknown WeChat ID 40132; 100 a day", async () => {
    const r = await post("message/mass/preview", { towxname: "qunfa_tester", touser: openids[5], ...text("看看") });
    expect(r).toMatchObject({ errcode: 0, errmsg: "preview success" });
    const [j] = await t.handle.db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, r.msg_id));
    expect(j.target).toEqual({ preview: openids[0] });
    expect((await post("message/mass/preview", { towxname: "nobody_here", ...text("x") })).errcode).toBe(40132);
    await t.handle.db.execute(sql`update sandbox_counters set count = 100 where appid = ${svc.appid} and key like 'preview:%'`);
    expect((await post("message/mass/preview", { towxname: "qunfa_tester", ...text("x") })).errcode).toBe(45009);
  });

  it("jobs run asynchronously: SENDING, then SEND_SUCCESS with deliveries and a signed, encrypted MASSSENDJOBFINISH", async () => {
    const pushes: { url: string; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        pushes.push({ url: req.url!, body });
        res.end("success");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      await setSandboxCallback(t.handle.db, svc.appid, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`, mode: "safe" });
      const n = await news(2, "<p>原创</p>");
      const r = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, msgtype: "mpnews", mpnews: { media_id: n.media_id }, clientmsgid: "async-1" });
      expect((await post("message/mass/get", { msg_id: r.msg_id })).msg_status).toBe("SENDING");
      await new Promise((res) => setTimeout(res, 300));
      await runDueSandboxJobs(t.handle.db);
      expect((await post("message/mass/get", { msg_id: r.msg_id })).msg_status).toBe("SEND_SUCCESS");
      // Earlier tests' jobs complete in the same run: pick this job's push.
      const mine = pushes
        .map((p) => ({ p, enc: tag(p.body, "Encrypt") }))
        .map((x) => ({ ...x, xml: sbDecrypt(x.enc, svc.aesKey).xml }))
        .find((x) => tag(x.xml, "MsgID") === String(r.msg_id))!;
      const q = new URL(mine.p.url, "http://x").searchParams;
      expect(q.get("encrypt_type")).toBe("aes");
      expect(q.get("signature")).toBe(sbSignature(svc.callbackToken, q.get("timestamp")!, q.get("nonce")!));
      expect(q.get("msg_signature")).toBe(sbSignature(svc.callbackToken, q.get("timestamp")!, q.get("nonce")!, mine.enc));
      expect(sbDecrypt(mine.enc, svc.aesKey).appid).toBe(svc.appid);
      const ev = mine.xml;
      expect(tag(ev, "Event")).toBe("MASSSENDJOBFINISH");
      expect(tag(ev, "Status")).toBe("send success");
      const [sent, filter, errors] = ["SentCount", "FilterCount", "ErrorCount"].map((k) => Number(tag(ev, k)));
      expect(sent).toBeGreaterThan(0);
      expect(filter).toBe(sent + errors);
      expect(ev.match(/<ArticleIdx>/g)?.length).toBe(2 + 2); // two in CopyrightCheckResult, two in ArticleUrlResult
      expect(tag(ev, "CheckState")).toBe("1");
    } finally {
      await setSandboxCallback(t.handle.db, svc.appid, { url: "" });
      receiver.close();
    }
  });

  it("review and originality: a configured word ends as err(N) with no deliveries; a reprint with send_ignore_reprint 0 ends err(30003), with 1 it is sent", async () => {
    const bad = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("这里有违禁词"), clientmsgid: "rev-1" });
    const n = await news(1, "<p>[reprint] 转载</p>");
    const stop = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, msgtype: "mpnews", mpnews: { media_id: n.media_id }, send_ignore_reprint: 0, clientmsgid: "rev-2" });
    const go = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, msgtype: "mpnews", mpnews: { media_id: n.media_id }, send_ignore_reprint: 1, clientmsgid: "rev-3" });
    await new Promise((res) => setTimeout(res, 300));
    await runDueSandboxJobs(t.handle.db);
    const job = async (id: number) => (await t.handle.db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, id)))[0];
    expect(await job(bad.msg_id)).toMatchObject({ resultStatus: "err(20001)", sentCount: 0, status: "SEND_FAIL" });
    expect(await job(stop.msg_id)).toMatchObject({ resultStatus: "err(30003)", sentCount: 0 });
    expect((await job(go.msg_id)).resultStatus).toBe("send success");
    expect(((await job(go.msg_id)).body as { checkState: number }).checkState).toBe(2);
  });

  it("a service account's followers receive at most 4 mass messages a calendar month", async () => {
    const two = openids.slice(200, 202);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await post("message/mass/send", { touser: two, ...text(`month ${i}`), clientmsgid: `m4-${i}` })).msg_id);
    await new Promise((res) => setTimeout(res, 300));
    await runDueSandboxJobs(t.handle.db);
    const last = (await t.handle.db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, ids[4])))[0];
    expect(last).toMatchObject({ totalCount: 2, sentCount: 0 });
  });

  it("delete: only mpnews and mpvideo (45052); article_idx out of range 40060; unknown 40059; status becomes DELETE for every send of the material", async () => {
    const n = await news(2);
    const a = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, msgtype: "mpnews", mpnews: { media_id: n.media_id }, clientmsgid: "del-1" });
    const b = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, msgtype: "mpnews", mpnews: { media_id: n.media_id }, clientmsgid: "del-2" });
    const tx = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("t"), clientmsgid: "del-3" });
    await new Promise((res) => setTimeout(res, 300));
    await runDueSandboxJobs(t.handle.db);
    expect((await post("message/mass/delete", { msg_id: tx.msg_id })).errcode).toBe(45052);
    expect((await post("message/mass/delete", { msg_id: 987654 })).errcode).toBe(40059);
    expect((await post("message/mass/delete", { msg_id: a.msg_id, article_idx: 3 })).errcode).toBe(40060);
    expect((await post("message/mass/delete", { msg_id: a.msg_id, article_idx: 2 })).errcode).toBe(0);
    expect((await post("message/mass/delete", { msg_id: a.msg_id })).errcode).toBe(0);
    expect((await post("message/mass/get", { msg_id: b.msg_id })).msg_status).toBe("DELETE");
  });

  it("speed: get {speed, realspeed}; set 0–4 (45083 out of range, 45084 missing)", async () => {
    expect((await post("message/mass/speed/set", { speed: 5 })).errcode).toBe(45083);
    expect((await post("message/mass/speed/set", {})).errcode).toBe(45084);
    expect((await post("message/mass/speed/set", { speed: 3 })).errcode).toBe(0);
    expect(await post("message/mass/speed/get", {})).toEqual({ speed: 3, realspeed: 30 });
  });

  it("faults on demand: −1 and HTTP 5xx at the configured rate", async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { errorRate: 1 } });
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("f"), clientmsgid: "f1" })).errcode).toBe(-1);
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { http5xxRate: 1 } });
    const r = await fetch(`${base}/cgi-bin/message/mass/sendall?access_token=${token}`, { method: "POST", body: JSON.stringify({ filter: { is_to_all: false, tag_id: 2 }, ...text("f"), clientmsgid: "f2" }) });
    expect(r.status).toBe(502);
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { dropAfterRate: 1 } });
    await expect(fetch(`${base}/cgi-bin/message/mass/sendall?access_token=${token}`, { method: "POST", body: JSON.stringify({ filter: { is_to_all: false, tag_id: 2 }, ...text("f3"), clientmsgid: "f3" }) }).then((x) => x.text())).rejects.toThrow();
    // The job was accepted before the connection dropped: the retry gets its msg_id.
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 0 });
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("f3"), clientmsgid: "f3" })).errcode).toBe(45065);
  });
});
