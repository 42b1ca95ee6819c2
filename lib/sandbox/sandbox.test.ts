import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { sandboxFollowers, sandboxJobs, sandboxTokens } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import {
  advanceSandboxClock,
  reseedSandbox,
  resetSandboxClock,
  runDueSandboxJobs,
  sandboxCredentials,
  sandboxInbox,
  sandboxReceivedCount,
  sandboxRecipients,
  sbDecrypt,
  sbSignature,
  seedSandbox,
  setSandboxCallback,
  setSandboxSettings,
} from "./index";
import { PUSH_RETRY_SPACING_MS } from "./runner";
import { tag } from "@/test/support/xml-tag";

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
    openids = (
      await t.handle.db.select({ o: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, svc.appid)).orderBy(sandboxFollowers.seq)
    ).map((r) => r.o);
    token = (await get("token", { grant_type: "client_credential", appid: svc.appid, secret: svc.secret })).access_token;
    subToken = (await get("token", { grant_type: "client_credential", appid: sub.appid, secret: sub.secret })).access_token;
    jpg = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#0a0" } })
      .jpeg()
      .toBuffer();
  });
  beforeEach(async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 60 });
    // The 100-previews-a-day rule has its own test; the others start with the day's previews unused.
    await t.handle.db.execute(sql`delete from sandbox_counters where key like 'preview:%'`);
  });
  afterEach(() => {
    resetSandboxClock();
    delete process.env.SANDBOX_TIME_SCALE;
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
    await t.handle.db
      .update(sandboxTokens)
      .set({ supersededAt: new Date(Date.now() - 6 * 60_000) })
      .where(eq(sandboxTokens.token, a));
    expect((await post("message/mass/get", { msg_id: 1 }, a)).errcode).toBe(40001);
    expect((await (await fetch(`${base}/cgi-bin/tags/get`)).json()).errcode).toBe(41001);
    expect((await post("tags/get", {}, "SBXC_" + "x".repeat(48))).errcode).toBe(40001);
    expect((await get("token", { grant_type: "client_credential", appid: svc.appid, secret: "wrong" })).errcode).toBe(40125);
    token = b;
  });

  it("token: an expired token gives 42001", async () => {
    const x = (await get("token", { grant_type: "client_credential", appid: svc.appid, secret: svc.secret })).access_token;
    await t.handle.db
      .update(sandboxTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sandboxTokens.token, x));
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
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
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
    expect(
      (
        await post("message/mass/sendall", {
          filter: { is_to_all: false, tag_id: 110 },
          msgtype: "mpvideo",
          mpvideo: { media_id: v.media_id },
          clientmsgid: "v1",
        })
      ).errcode,
    ).toBe(40007);
    expect(
      (await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, msgtype: "video", video: { media_id: mv.media_id }, clientmsgid: "v2" }))
        .errcode,
    ).toBe(40008);
    expect(
      (
        await post("message/mass/sendall", {
          filter: { is_to_all: false, tag_id: 110 },
          msgtype: "mpvideo",
          mpvideo: { media_id: mv.media_id },
          clientmsgid: "v3",
        })
      ).errcode,
    ).toBe(0);
  });

  it("sendall: tag_id (45159 unknown), is_to_all; msg_data_id only for mpnews", async () => {
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 9999 }, ...text("x"), clientmsgid: "s1" })).errcode).toBe(45159);
    const n = await news(2);
    const r = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: "110" },
      msgtype: "mpnews",
      mpnews: { media_id: n.media_id },
      send_ignore_reprint: 0,
      clientmsgid: "s2",
    });
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
    expect(await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("c1"), clientmsgid: "dup-1" })).toEqual({
      errcode: 45065,
      errmsg: "clientmsgid exist",
      msg_id: first.msg_id,
    });
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("c1"), clientmsgid: "x".repeat(65) })).errcode).toBe(45067);
    const a = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 100 }, ...text("same content") });
    const b = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 100 }, ...text("same content") });
    expect(b).toEqual({ errcode: 45065, errmsg: "clientmsgid exist", msg_id: a.msg_id });
  });

  it("limits: over the minute's limit 45011; a subscription account sends once a day (45028)", async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 2, dailyLimit: 10_000 });
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text(`m${i}`), clientmsgid: `lim-${Date.now()}-${i}` })).errcode,
      );
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
      const r = await post("message/mass/sendall", {
        filter: { is_to_all: false, tag_id: 110 },
        msgtype: "mpnews",
        mpnews: { media_id: n.media_id },
        clientmsgid: "async-1",
      });
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
    const stop = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: 110 },
      msgtype: "mpnews",
      mpnews: { media_id: n.media_id },
      send_ignore_reprint: 0,
      clientmsgid: "rev-2",
    });
    const go = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: 110 },
      msgtype: "mpnews",
      mpnews: { media_id: n.media_id },
      send_ignore_reprint: 1,
      clientmsgid: "rev-3",
    });
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
    const a = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: 110 },
      msgtype: "mpnews",
      mpnews: { media_id: n.media_id },
      clientmsgid: "del-1",
    });
    const b = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: 2 },
      msgtype: "mpnews",
      mpnews: { media_id: n.media_id },
      clientmsgid: "del-2",
    });
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
    const r = await fetch(`${base}/cgi-bin/message/mass/sendall?access_token=${token}`, {
      method: "POST",
      body: JSON.stringify({ filter: { is_to_all: false, tag_id: 2 }, ...text("f"), clientmsgid: "f2" }),
    });
    expect(r.status).toBe(502);
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { dropAfterRate: 1 } });
    await expect(
      fetch(`${base}/cgi-bin/message/mass/sendall?access_token=${token}`, {
        method: "POST",
        body: JSON.stringify({ filter: { is_to_all: false, tag_id: 2 }, ...text("f3"), clientmsgid: "f3" }),
      }).then((x) => x.text()),
    ).rejects.toThrow();
    // The job was accepted before the connection dropped: the retry gets its msg_id.
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, clientMsgIdRetryWindowSec: 0 });
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 2 }, ...text("f3"), clientmsgid: "f3" })).errcode).toBe(45065);
  });
  // ------------------------------------------------------------- helpers for the rules below
  const newToken = async () => (await get("token", { grant_type: "client_credential", appid: svc.appid, secret: svc.secret })).access_token as string;
  const jobRow = async (id: number) => (await t.handle.db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, id)))[0];
  /** Runs due jobs after moving the sandbox clock past any job's duration. */
  const runJobs = async (ms = 60_000) => {
    advanceSandboxClock(ms);
    await runDueSandboxJobs(t.handle.db);
  };
  /** A local callback receiver; `answer(n)` gives the HTTP status of the n-th push (1-based). */
  async function receiver(answer: (n: number) => number = () => 200) {
    const pushes: { url: string; body: string }[] = [];
    const srv = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        pushes.push({ url: req.url!, body });
        const status = answer(pushes.length);
        res.writeHead(status);
        res.end(status === 200 ? "success" : "busy");
      });
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/cb`;
    /** Pushes of one msg_id, decrypted when needed. */
    const of = (msgId: number, aesKey = svc.aesKey) =>
      pushes
        .map((p) => {
          const enc = tag(p.body, "Encrypt");
          return { ...p, enc, xml: enc ? sbDecrypt(enc, aesKey).xml : p.body };
        })
        .filter((p) => tag(p.xml, "MsgID") === String(msgId));
    return { pushes, url, of, close: () => new Promise<void>((r) => srv.close(() => r())) };
  }
  /** Followers of the service account who received nothing yet (storage-agnostic: via the inbox). */
  async function untouched(n: number, from = openids.length - 1) {
    const out: string[] = [];
    for (let i = from; i >= 0 && out.length < n; i--) {
      const inbox = await sandboxInbox(t.handle.db, svc.appid, openids[i]);
      if (inbox && inbox.messages.length === 0) out.push(openids[i]);
    }
    return out;
  }

  it("QUNFA_SANDBOX=off removes the sandbox (404 on its API and its media)", async () => {
    const api = await import("@/app/sandbox-api/cgi-bin/[...path]/route");
    const media = await import("@/app/sandbox-api/mmbiz/[id]/route");
    const prev = process.env.QUNFA_SANDBOX;
    const srv = http.createServer(async (req, res) => {
      const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method });
      const r = req.url!.startsWith("/sandbox-api/mmbiz/") ? await media.GET(request, { params: Promise.resolve({ id: "IMG_x" }) }) : await api.GET(request);
      res.writeHead(r.status);
      res.end(await r.text());
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    try {
      process.env.QUNFA_SANDBOX = "off";
      const origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      expect((await fetch(`${origin}/sandbox-api/cgi-bin/token?grant_type=client_credential&appid=${svc.appid}&secret=${svc.secret}`)).status).toBe(404);
      expect((await fetch(`${origin}/sandbox-api/mmbiz/IMG_x`)).status).toBe(404);
    } finally {
      if (prev === undefined) delete process.env.QUNFA_SANDBOX;
      else process.env.QUNFA_SANDBOX = prev;
      srv.close();
    }
  });

  it("media: temporary media expire after 3 days (40007 after, usable before)", async () => {
    const m = await upload("media/upload", jpg, "temp.jpg", { type: "image" });
    expect(m.media_id).toMatch(/^TM_/);
    advanceSandboxClock(3 * 24 * 3600_000 - 60_000);
    let tok = await newToken();
    expect((await post("message/mass/preview", { touser: openids[3], msgtype: "image", image: { media_id: m.media_id } }, tok)).errcode).toBe(0);
    advanceSandboxClock(2 * 60_000);
    tok = await newToken();
    expect((await post("message/mass/preview", { touser: openids[3], msgtype: "image", image: { media_id: m.media_id } }, tok)).errcode).toBe(40007);
  });

  it("media: size limits for image (10 MB), voice (2 MB) and video (10 MB) give 40006", async () => {
    const mb = 1024 * 1024;
    expect((await upload("media/upload", Buffer.concat([jpg, Buffer.alloc(10 * mb)]), "big.jpg", { type: "image" })).errcode).toBe(40006);
    expect((await upload("media/upload", Buffer.concat([jpg, Buffer.alloc(mb)]), "ok.jpg", { type: "image" })).media_id).toBeTruthy();
    const mp3 = (n: number) => Buffer.concat([Buffer.from("ID3"), Buffer.alloc(n)]);
    expect((await upload("media/upload", mp3(2 * mb), "big.mp3", { type: "voice" })).errcode).toBe(40006);
    expect((await upload("media/upload", mp3(mb), "ok.mp3", { type: "voice" })).media_id).toBeTruthy();
    const mp4 = (n: number) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypmp42"), Buffer.alloc(n)]);
    expect((await upload("media/upload", mp4(10 * mb), "big.mp4", { type: "video" })).errcode).toBe(40006);
    expect((await upload("media/upload", mp4(mb), "ok.mp4", { type: "video" })).media_id).toBeTruthy();
  });

  it("uploadnews: an article without a title or without content is 44003", async () => {
    const thumb = (await upload("media/upload", jpg, "t.jpg", { type: "thumb" })).thumb_media_id;
    expect((await post("media/uploadnews", { articles: [{ thumb_media_id: thumb, content: "<p>c</p>" }] })).errcode).toBe(44003);
    expect((await post("media/uploadnews", { articles: [{ thumb_media_id: thumb, title: "t", content: "  " }] })).errcode).toBe(44003);
    expect(
      (
        await post("media/uploadnews", {
          articles: [
            { thumb_media_id: thumb, title: "t", content: "<p>c</p>" },
            { thumb_media_id: thumb, title: "", content: "c" },
          ],
        })
      ).errcode,
    ).toBe(44003);
  });

  it("preview: by touser alone, into that follower's inbox, marked as a preview", async () => {
    const r = await post("message/mass/preview", { touser: openids[7], ...text("只给我看") });
    expect(r).toMatchObject({ errcode: 0, errmsg: "preview success" });
    const inbox = await sandboxInbox(t.handle.db, svc.appid, openids[7]);
    expect(inbox!.messages.find((m) => m.msgId === r.msg_id)).toMatchObject({ preview: true, msgtype: "text" });
    expect((await post("message/mass/preview", { touser: "o" + "x".repeat(27), ...text("x") })).errcode).toBe(43004);
  });

  it("preview: towxname wins over touser (the WeChat ID's follower receives it, not the OpenID's)", async () => {
    const r = await post("message/mass/preview", { towxname: "qunfa_demo_1", touser: openids[9], ...text("谁收到") });
    expect(r.errcode).toBe(0);
    expect((await sandboxInbox(t.handle.db, svc.appid, "qunfa_demo_1"))!.messages.some((m) => m.msgId === r.msg_id)).toBe(true);
    expect((await sandboxInbox(t.handle.db, svc.appid, openids[9]))!.messages.some((m) => m.msgId === r.msg_id)).toBe(false);
  });

  it("clientmsgid: 45066 is measured from the first attempt, not the previous one; after a minute 45065 with the msg_id", async () => {
    const body = { filter: { is_to_all: false, tag_id: 2 }, ...text("first attempt"), clientmsgid: "first-attempt-1" };
    const first = await post("message/mass/sendall", body);
    expect(first.errcode).toBe(0);
    advanceSandboxClock(30_000);
    expect((await post("message/mass/sendall", body)).errcode).toBe(45066);
    advanceSandboxClock(31_000); // 61 s after the first attempt, 31 s after the previous one
    expect(await post("message/mass/sendall", body)).toEqual({ errcode: 45065, errmsg: "clientmsgid exist", msg_id: first.msg_id });
  });

  it("clientmsgid: forgotten after 24 hours (the same clientmsgid makes a new job)", async () => {
    const body = { filter: { is_to_all: false, tag_id: 2 }, ...text("a day later"), clientmsgid: "day-1" };
    const first = await post("message/mass/sendall", body);
    advanceSandboxClock(23 * 3600_000);
    expect((await post("message/mass/sendall", body, await newToken())).msg_id).toBe(first.msg_id);
    advanceSandboxClock(3600_000 + 60_000);
    const again = await post("message/mass/sendall", body, await newToken());
    expect(again.errcode).toBe(0);
    expect(again.msg_id).not.toBe(first.msg_id);
  });

  it("SANDBOX_TIME_SCALE: a job's duration scales with its audience (tag sends too) and the scale", async () => {
    const dur = async (tagId: number, cmid: string) => {
      const r = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: tagId }, ...text(cmid), clientmsgid: cmid });
      const j = await jobRow(r.msg_id);
      await t.handle.db.delete(sandboxJobs).where(eq(sandboxJobs.msgId, r.msg_id)); // never run
      return j.dueAt.getTime() - j.createdAt.getTime();
    };
    const members = async (tagId: number) => (await post("user/tag/get", { tagid: tagId })).count as number;
    const [big, small] = [await members(107), await members(110)];
    expect(big).toBeGreaterThan(small + 50);
    process.env.SANDBOX_TIME_SCALE = "100";
    const [dBig, dSmall] = [await dur(107, "ts-1"), await dur(110, "ts-2")];
    const speed = (await post("message/mass/speed/get", {})).realspeed as number; // 10 000 a minute
    const perMs = (speed * 10_000) / 60_000;
    expect(Math.abs(dBig - dSmall - ((big - small) / perMs) * 100)).toBeLessThan(150);
    process.env.SANDBOX_TIME_SCALE = "0";
    expect(await dur(107, "ts-3")).toBeLessThan(50);
  });

  it("mass/get shows SENDING (also while the job is being delivered), then SEND_SUCCESS or SEND_FAIL", async () => {
    const ok = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("状态"), clientmsgid: "get-1" });
    const bad = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("违禁词 状态"), clientmsgid: "get-2" });
    expect((await post("message/mass/get", { msg_id: ok.msg_id })).msg_status).toBe("SENDING");
    await t.handle.db.update(sandboxJobs).set({ status: "RUNNING" }).where(eq(sandboxJobs.msgId, ok.msg_id)); // as a runner's claim
    expect((await post("message/mass/get", { msg_id: ok.msg_id })).msg_status).toBe("SENDING");
    await t.handle.db.update(sandboxJobs).set({ status: "SENDING" }).where(eq(sandboxJobs.msgId, ok.msg_id));
    await runJobs();
    expect(await post("message/mass/get", { msg_id: ok.msg_id })).toEqual({ msg_id: ok.msg_id, msg_status: "SEND_SUCCESS" });
    expect((await post("message/mass/get", { msg_id: bad.msg_id })).msg_status).toBe("SEND_FAIL");
  });

  it("MASSSENDJOBFINISH is retried: a receiver that fails twice then succeeds gets 3 deliveries, spaced, without blocking", async () => {
    const rx = await receiver((n) => (n <= 2 ? 500 : 200));
    try {
      await setSandboxCallback(t.handle.db, svc.appid, { url: rx.url, mode: "plaintext" });
      const r = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("retry me"), clientmsgid: "retry-1" });
      await runJobs();
      expect(rx.of(r.msg_id)).toHaveLength(1);
      await runDueSandboxJobs(t.handle.db); // not due yet: no second attempt at once
      expect(rx.of(r.msg_id)).toHaveLength(1);
      expect(await jobRow(r.msg_id)).toMatchObject({ callbackState: "pending", callbackAttempts: 1 });
      await runJobs(PUSH_RETRY_SPACING_MS[0] + 10);
      expect(rx.of(r.msg_id)).toHaveLength(2);
      await runJobs(PUSH_RETRY_SPACING_MS[1] + 10);
      expect(rx.of(r.msg_id)).toHaveLength(3);
      await runJobs(60_000);
      expect(rx.of(r.msg_id)).toHaveLength(3);
      const j = await jobRow(r.msg_id);
      expect(j).toMatchObject({ callbackState: "delivered", callbackAttempts: 3 });
      expect(j.callbackLog.map((l) => l.status)).toEqual([500, 500, 200]);
    } finally {
      await setSandboxCallback(t.handle.db, svc.appid, { url: "" });
      await rx.close();
    }
  });

  it("pushes verify in plaintext, compatible and safe modes", async () => {
    const rx = await receiver();
    try {
      for (const mode of ["plaintext", "compatible", "safe"] as const) {
        await setSandboxCallback(t.handle.db, svc.appid, { url: rx.url, mode });
        const r = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text(`mode ${mode}`), clientmsgid: `mode-${mode}` });
        await runJobs();
        const [p] = rx.of(r.msg_id);
        const q = new URL(p.url, "http://x").searchParams;
        const [ts, nonce] = [q.get("timestamp")!, q.get("nonce")!];
        expect(q.get("signature")).toBe(sbSignature(svc.callbackToken, ts, nonce));
        expect(tag(p.xml, "Event")).toBe("MASSSENDJOBFINISH");
        expect(tag(p.xml, "Status")).toBe("send success");
        if (mode === "plaintext") {
          expect(p.enc).toBe("");
          expect(q.get("encrypt_type")).toBeNull();
        } else {
          expect(q.get("encrypt_type")).toBe("aes");
          expect(q.get("msg_signature")).toBe(sbSignature(svc.callbackToken, ts, nonce, p.enc));
          expect(sbDecrypt(p.enc, svc.aesKey).appid).toBe(svc.appid);
          // compatible: the plaintext fields and the ciphertext side by side; safe: ciphertext only
          expect(tag(p.body, "MsgID")).toBe(mode === "compatible" ? String(r.msg_id) : "");
        }
      }
    } finally {
      await setSandboxCallback(t.handle.db, svc.appid, { url: "" });
      await rx.close();
    }
  });

  it("4-a-month: a follower who had 4 this month is filtered (not in FilterCount) and not delivered", async () => {
    const [capped, fresh, ...others] = await untouched(6);
    for (let i = 0; i < 4; i++)
      expect((await post("message/mass/send", { touser: [capped, others[i]], ...text(`four ${i}`), clientmsgid: `four-${i}` })).errcode).toBe(0);
    await runJobs();
    const rx = await receiver();
    try {
      await setSandboxCallback(t.handle.db, svc.appid, { url: rx.url, mode: "plaintext" });
      const r = await post("message/mass/send", { touser: [capped, fresh], ...text("the fifth"), clientmsgid: "four-5" });
      await runJobs();
      const [p] = rx.of(r.msg_id);
      expect(["TotalCount", "FilterCount", "SentCount", "ErrorCount"].map((k) => Number(tag(p.xml, k)))).toEqual([2, 1, 1, 0]);
      expect((await sandboxInbox(t.handle.db, svc.appid, capped))!.messages.map((m) => m.msgId)).not.toContain(r.msg_id);
      expect((await sandboxInbox(t.handle.db, svc.appid, capped))!.messages).toHaveLength(4);
      expect((await sandboxInbox(t.handle.db, svc.appid, fresh))!.messages.map((m) => m.msgId)).toContain(r.msg_id);
    } finally {
      await setSandboxCallback(t.handle.db, svc.appid, { url: "" });
      await rx.close();
    }
  });

  it("4-a-month counts every kind of send together (tag, is_to_all, OpenID list), exactly per follower", async () => {
    const members = new Set((await post("user/tag/get", { tagid: 107 })).data.openid as string[]);
    const fresh = await untouched(40);
    const x = fresh.find((o) => members.has(o))!;
    const y = fresh.find((o) => !members.has(o))!;
    expect(x && y).toBeTruthy();
    const tagSend = async (cmid: string) =>
      (await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 107 }, ...text(cmid), clientmsgid: cmid })).msg_id as number;
    await tagSend("mix-tag-1");
    expect((await post("message/mass/sendall", { filter: { is_to_all: true }, ...text("mix all"), clientmsgid: "mix-all" })).errcode).toBe(0);
    expect((await post("message/mass/send", { touser: [x, y], ...text("mix list"), clientmsgid: "mix-list" })).errcode).toBe(0);
    await runJobs();
    const fourth = await tagSend("mix-tag-4");
    await runJobs();
    const fifth = await tagSend("mix-tag-5");
    await runJobs();
    expect(await sandboxRecipients(t.handle.db, fourth)).toContain(x);
    const got5 = await sandboxRecipients(t.handle.db, fifth);
    expect(got5).not.toContain(x);
    expect(await sandboxReceivedCount(t.handle.db, svc.appid, x, { since: new Date(Date.now() - 40 * 24 * 3600_000) })).toBe(4);
    expect(await sandboxReceivedCount(t.handle.db, svc.appid, y)).toBe(2); // is_to_all + list
    const j5 = await jobRow(fifth);
    expect(j5).toMatchObject({ totalCount: members.size, sentCount: got5.length, filterCount: got5.length, errorCount: 0 });
    expect(got5.length).toBeLessThan(members.size);
    expect((await sandboxInbox(t.handle.db, svc.appid, x))!.messages.map((m) => m.msgId)).not.toContain(fifth);
  });

  it("originality: CheckState 3 ends as err(30002), whatever send_ignore_reprint", async () => {
    const n = await news(1, "<p>[reprint-blocked] 禁止转载</p>");
    const a = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: 110 },
      msgtype: "mpnews",
      mpnews: { media_id: n.media_id },
      send_ignore_reprint: 1,
      clientmsgid: "cs3-1",
    });
    const b = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: 110 },
      msgtype: "mpnews",
      mpnews: { media_id: n.media_id },
      send_ignore_reprint: 0,
      clientmsgid: "cs3-2",
    });
    await runJobs();
    for (const id of [a.msg_id, b.msg_id]) {
      expect(await jobRow(id)).toMatchObject({ status: "SEND_FAIL", resultStatus: "err(30002)", sentCount: 0 });
      expect(((await jobRow(id)).body as { checkState: number }).checkState).toBe(3);
    }
  });

  it("originality: a content_source_url of another account's article is a reprint (CheckState 2: sent with send_ignore_reprint 1, else err(30003)); a source that forbids reprinting is CheckState 3", async () => {
    const thumb = (await upload("media/upload", jpg, "t.jpg", { type: "thumb" })).thumb_media_id;
    const newsFrom = async (url: string) =>
      (await post("media/uploadnews", { articles: [{ thumb_media_id: thumb, title: "转", content: "<p>原文在别处</p>", content_source_url: url }] }))
        .media_id as string;
    const send = async (media: string, flag: number, cmid: string) =>
      (
        await post("message/mass/sendall", {
          filter: { is_to_all: false, tag_id: 110 },
          msgtype: "mpnews",
          mpnews: { media_id: media },
          send_ignore_reprint: flag,
          clientmsgid: cmid,
        })
      ).msg_id as number;
    // The subscription account publishes an article; the service account points at it.
    const subThumbFd = new FormData();
    subThumbFd.append("media", new Blob([new Uint8Array(jpg)]), "s.jpg");
    const subThumb = (await (await fetch(`${base}/cgi-bin/media/upload?access_token=${subToken}&type=thumb`, { method: "POST", body: subThumbFd })).json())
      .thumb_media_id;
    const subNews = await post("media/uploadnews", { articles: [{ thumb_media_id: subThumb, title: "订阅号原文", content: "<p>原创</p>" }] }, subToken);
    await t.handle.db.execute(sql`delete from sandbox_counters where appid = ${sub.appid} and key like 'sends:%'`); // its one send today was used above
    const subSend = await post(
      "message/mass/sendall",
      { filter: { is_to_all: false, tag_id: 110 }, msgtype: "mpnews", mpnews: { media_id: subNews.media_id }, clientmsgid: "orig-sub" },
      subToken,
    );
    expect(subSend.errcode).toBe(0);
    await runJobs();
    const otherSandbox = await newsFrom(`${base}/s/${subSend.msg_id}/1`);
    const wechat = await newsFrom("https://mp.weixin.qq.com/s/AbCdEf123");
    const forbidden = await newsFrom("https://mp.weixin.qq.com/s/noreprint-XyZ");
    const own = await newsFrom("https://example.com/my-own-blog");
    const ids = {
      otherSandbox1: await send(otherSandbox, 1, "src-1"),
      wechat0: await send(wechat, 0, "src-2"),
      wechat1: await send(wechat, 1, "src-3"),
      forbidden1: await send(forbidden, 1, "src-4"),
      own0: await send(own, 0, "src-5"),
    };
    await runJobs();
    const res = async (id: number) => {
      const j = await jobRow(id);
      return [j.resultStatus, (j.body as { checkState: number }).checkState];
    };
    expect(await res(ids.otherSandbox1)).toEqual(["send success", 2]);
    expect(await res(ids.wechat0)).toEqual(["err(30003)", 2]);
    expect(await res(ids.wechat1)).toEqual(["send success", 2]);
    expect(await res(ids.forbidden1)).toEqual(["err(30002)", 3]);
    expect(await res(ids.own0)).toEqual(["send success", 1]);
    const copyright = (await jobRow(ids.wechat1)).body.copyright as { OriginalArticleUrl: string; CanReprint: number }[];
    expect(copyright[0]).toMatchObject({ OriginalArticleUrl: "https://mp.weixin.qq.com/s/AbCdEf123", CanReprint: 1 });
  });

  it("a service account's 5th is_to_all in a month is 45028", async () => {
    // Start the month's count afresh (a test above sent one is_to_all).
    await t.handle.db.execute(sql`delete from sandbox_counters where appid = ${svc.appid} and key like 'toall:%'`);
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await post("message/mass/sendall", { filter: { is_to_all: true }, ...text(`全体 ${i}`), clientmsgid: `all-${i}` });
      expect(r.errcode).toBe(0);
      ids.push(r.msg_id);
    }
    expect((await post("message/mass/sendall", { filter: { is_to_all: true }, ...text("全体 5"), clientmsgid: "all-5" })).errcode).toBe(45028);
    // Tag sends are not history-list sends: still allowed.
    expect((await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("标签"), clientmsgid: "all-tag" })).errcode).toBe(0);
    // These four never run: they would fill every follower's month for the tests below.
    for (const id of ids) await t.handle.db.delete(sandboxJobs).where(eq(sandboxJobs.msgId, id));
  });

  it("faults: added latency delays every answer", async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { latencyMs: 400 } });
    const t0 = Date.now();
    expect((await post("message/mass/speed/get", {})).speed).toBeTypeOf("number");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
  });

  it("faults: a connection dropped before acceptance makes no job (the retry is a first send)", async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { dropBeforeRate: 1 } });
    const body = { filter: { is_to_all: false, tag_id: 2 }, ...text("dropped before"), clientmsgid: "drop-before" };
    await expect(
      fetch(`${base}/cgi-bin/message/mass/sendall?access_token=${token}`, { method: "POST", body: JSON.stringify(body) }).then((x) => x.text()),
    ).rejects.toThrow();
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000 });
    const r = await post("message/mass/sendall", body);
    expect(r.errcode).toBe(0);
  });

  it("faults: a connection dropped after acceptance keeps the job (the retry gets 45065 with its msg_id)", async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { dropAfterRate: 1 } });
    const body = { filter: { is_to_all: false, tag_id: 2 }, ...text("dropped after"), clientmsgid: "drop-after" };
    await expect(
      fetch(`${base}/cgi-bin/message/mass/sendall?access_token=${token}`, { method: "POST", body: JSON.stringify(body) }).then((x) => x.text()),
    ).rejects.toThrow();
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000 });
    advanceSandboxClock(61_000);
    const r = await post("message/mass/sendall", body);
    expect(r.errcode).toBe(45065);
    expect((await jobRow(r.msg_id)).clientMsgId).toBe("drop-after");
  });

  it("faults: HTTP 5xx at the configured rate", async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { http5xxRate: 1 } });
    const r = await fetch(`${base}/cgi-bin/message/mass/send?access_token=${token}`, {
      method: "POST",
      body: JSON.stringify({ touser: openids.slice(0, 2), ...text("5xx"), clientmsgid: "5xx" }),
    });
    expect(r.status).toBeGreaterThanOrEqual(500);
  });

  it("faults: −1 system error at the configured rate, and no job", async () => {
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { errorRate: 1 } });
    expect(await post("message/mass/send", { touser: openids.slice(0, 2), ...text("-1"), clientmsgid: "minus-1" })).toEqual({
      errcode: -1,
      errmsg: "system error",
    });
    await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000 });
    expect((await post("message/mass/send", { touser: openids.slice(0, 2), ...text("-1"), clientmsgid: "minus-1" })).errcode).toBe(0);
  });

  it("faults: failed callback deliveries (4 attempts, then failed; the receiver sees none)", async () => {
    const rx = await receiver();
    try {
      await setSandboxCallback(t.handle.db, svc.appid, { url: rx.url, mode: "plaintext" });
      await setSandboxSettings(t.handle.db, svc.appid, { perMinute: 10_000, dailyLimit: 10_000, faults: { callbackFailRate: 1 } });
      const r = await post("message/mass/sendall", { filter: { is_to_all: false, tag_id: 110 }, ...text("lost push"), clientmsgid: "cbfail" });
      for (let i = 0; i < 5; i++) await runJobs(10_000);
      expect(rx.of(r.msg_id)).toHaveLength(0);
      expect(await jobRow(r.msg_id)).toMatchObject({ callbackState: "failed", callbackAttempts: 4, status: "SEND_SUCCESS" });
    } finally {
      await setSandboxCallback(t.handle.db, svc.appid, { url: "" });
      await rx.close();
    }
  });

  it("inbox: every member of a tag send's audience sees the message, no one else; delete marks it DELETE", async () => {
    const members = (await post("user/tag/get", { tagid: 104 })).data.openid as string[];
    const n = await news(1, "<p>给新关注的人</p>");
    const r = await post("message/mass/sendall", {
      filter: { is_to_all: false, tag_id: 104 },
      msgtype: "mpnews",
      mpnews: { media_id: n.media_id },
      clientmsgid: "inbox-tag",
    });
    await runJobs();
    const job = await jobRow(r.msg_id);
    const inTag = new Set(members);
    const seen = await sandboxRecipients(t.handle.db, r.msg_id);
    expect(seen.every((o) => inTag.has(o))).toBe(true);
    expect(seen.length).toBe(job.sentCount);
    // The inbox agrees, for a recipient and for a follower outside the tag.
    expect((await sandboxInbox(t.handle.db, svc.appid, seen[0]))!.messages.some((m) => m.msgId === r.msg_id)).toBe(true);
    const outside = openids.find((o) => !inTag.has(o))!;
    expect((await sandboxInbox(t.handle.db, svc.appid, outside))!.messages.some((m) => m.msgId === r.msg_id)).toBe(false);
    expect(await sandboxReceivedCount(t.handle.db, svc.appid, seen[0], { msgIds: [r.msg_id] })).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
    expect(job.totalCount).toBe(members.length);
    expect((await post("message/mass/delete", { msg_id: r.msg_id })).errcode).toBe(0);
    const m = (await sandboxInbox(t.handle.db, svc.appid, seen[0]))!.messages.find((x) => x.msgId === r.msg_id);
    expect(m!.status).toBe("DELETE");
  });

  it("seed on demand: reseeding restores the same followers and tags and forgets every job", async () => {
    const tagsBefore = (await get("tags/get", { access_token: token })).tags;
    await reseedSandbox(t.handle.db, { followers: 300 });
    const after = (
      await t.handle.db.select({ o: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, svc.appid)).orderBy(sandboxFollowers.seq)
    ).map((r) => r.o);
    expect(after).toEqual(openids);
    expect((await get("tags/get", { access_token: token })).tags).toEqual(tagsBefore);
    expect(await t.handle.db.$count(sandboxJobs)).toBe(0);
    expect((await post("message/mass/get", { msg_id: 1 })).errcode).toBe(40059);
    expect((await sandboxInbox(t.handle.db, svc.appid, "qunfa_tester"))!.messages).toHaveLength(0);
  });
});
