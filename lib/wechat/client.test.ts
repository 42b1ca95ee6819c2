import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createWeChatClient } from "./client";
import { WeChatApiError, WeChatTransportError, describeError } from "./errors";
import { createMemoryTokenProvider, fetchAccessToken, type TokenProvider } from "./token";

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  contentType: string;
}

// A local HTTP fixture answering with the payloads WeChat's 「高级群发接口」 documents.
let server: http.Server;
let base = "";
const seen: Seen[] = [];
let script: ((s: Seen) => { status?: number; body: string; delayMs?: number } | undefined) | null = null;

function answer(s: Seen): { status?: number; body: string; delayMs?: number } {
  const custom = script?.(s);
  if (custom) return custom;
  const p = s.path.replace(/^\/cgi-bin\//, "");
  const j = (o: unknown) => ({ body: JSON.stringify(o) });
  switch (p) {
    case "token":
      return j({ access_token: "CLASSIC_TOKEN", expires_in: 7200 });
    case "stable_token":
      return j({ access_token: "STABLE_TOKEN", expires_in: 7200 });
    case "media/upload":
      return s.query.get("type") === "thumb"
        ? j({ type: "thumb", thumb_media_id: "THUMB_ID", created_at: 1391857799 })
        : j({ type: s.query.get("type"), media_id: "MEDIA_ID", created_at: 1391857799 });
    case "material/add_material":
      return j({ media_id: "PERM_ID", url: "http://mmbiz.qpic.cn/x" });
    case "media/uploadimg":
      return j({ url: "http://mmbiz.qpic.cn/mmbiz/abc/0" });
    case "media/uploadnews":
      return j({ type: "news", media_id: "NEWS_ID", created_at: 1391857799 });
    case "media/uploadvideo":
      return j({ type: "video", media_id: "MASSVIDEO_ID", created_at: 1398848981 });
    case "tags/get":
      return j({
        tags: [
          { id: 2, name: "星标组", count: 0 },
          { id: 127, name: "广东", count: 5 },
        ],
      });
    case "user/tag/get":
      return j({ count: 2, data: { openid: ["o".repeat(28), "p".repeat(28)] }, next_openid: "p".repeat(28) });
    case "user/get":
      return j({ total: 2, count: 2, data: { openid: ["o".repeat(28), "p".repeat(28)] }, next_openid: "" });
    case "message/mass/sendall":
    case "message/mass/send":
      return j({ errcode: 0, errmsg: "send job submission success", msg_id: 34182, msg_data_id: 206227730 });
    case "message/mass/preview":
      return j({ errcode: 0, errmsg: "preview success", msg_id: 34182 });
    case "message/mass/delete":
    case "message/mass/speed/set":
      return j({ errcode: 0, errmsg: "ok" });
    case "message/mass/get":
      return j({ msg_id: 201053012, msg_status: "SEND_SUCCESS" });
    case "message/mass/speed/get":
      return j({ speed: 3, realspeed: 15 });
  }
  return { status: 404, body: "not found" };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://x");
      const s: Seen = {
        method: req.method ?? "",
        path: u.pathname,
        query: u.searchParams,
        body: Buffer.concat(chunks).toString("utf8"),
        contentType: String(req.headers["content-type"] ?? ""),
      };
      seen.push(s);
      const a = answer(s);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(a.status ?? 200, { "content-type": "application/json" });
        res.end(a.body);
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function fixedTokens(tokens: string[]): TokenProvider & { invalidations: string[] } {
  let i = 0;
  const invalidations: string[] = [];
  return {
    invalidations,
    getToken: async () => tokens[i],
    invalidate: async (bad) => {
      invalidations.push(bad);
      i = Math.min(i + 1, tokens.length - 1);
      return tokens[i];
    },
  };
}

const OPENIDS = (n: number) => Array.from({ length: n }, (_, i) => `o${String(i).padStart(27, "x")}`);
const last = () => seen[seen.length - 1];
const json = () => JSON.parse(last().body);

describe("tokens", () => {
  it("uses stable_token by default and cgi-bin/token as an option", async () => {
    expect(await fetchAccessToken({ baseUrl: base, appid: "wxa", secret: "s" })).toEqual({ access_token: "STABLE_TOKEN", expires_in: 7200 });
    expect(last().path).toBe("/cgi-bin/stable_token");
    expect(json()).toEqual({ grant_type: "client_credential", appid: "wxa", secret: "s", force_refresh: false });
    expect(await fetchAccessToken({ baseUrl: base, appid: "wxa", secret: "s", mode: "classic" })).toMatchObject({ access_token: "CLASSIC_TOKEN" });
    expect(last().query.get("grant_type")).toBe("client_credential");
  });

  it("the memory provider fetches once for ten concurrent callers", async () => {
    let fetches = 0;
    const p = createMemoryTokenProvider({
      fetchToken: async () => {
        fetches++;
        await new Promise((r) => setTimeout(r, 30));
        return { access_token: "T" + fetches, expires_in: 7200 };
      },
    });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => p.getToken()));
    expect(fetches).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(["T1"]));
    expect(await p.invalidate("T1")).toBe("T2");
    expect(await p.invalidate("T1")).toBe("T2");
    expect(fetches).toBe(2);
  });
});

describe("every endpoint over HTTP", () => {
  const client = () => createWeChatClient({ baseUrl: base, tokenProvider: fixedTokens(["TOKEN_A"]) });
  const file = { data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), filename: "a.jpg", contentType: "image/jpeg" };

  it("uploads media, material, in-article images (multipart field `media`)", async () => {
    const c = client();
    expect(await c.uploadMedia("thumb", file)).toEqual({ type: "thumb", media_id: "THUMB_ID", created_at: 1391857799 });
    expect(last().query.get("type")).toBe("thumb");
    expect(last().query.get("access_token")).toBe("TOKEN_A");
    expect(last().contentType).toMatch(/^multipart\/form-data/);
    expect(last().body).toContain('name="media"; filename="a.jpg"');
    expect(await c.addMaterial("video", { ...file, filename: "v.mp4", contentType: "video/mp4" }, { title: "T", introduction: "I" })).toEqual({
      media_id: "PERM_ID",
      url: "http://mmbiz.qpic.cn/x",
    });
    expect(last().body).toContain('name="description"');
    expect(await c.uploadImg(file)).toEqual({ url: "http://mmbiz.qpic.cn/mmbiz/abc/0" });
    expect(last().path).toBe("/cgi-bin/media/uploadimg");
  });

  it("uploads news (1–8 articles) and mass-send videos", async () => {
    const c = client();
    const a = {
      thumb_media_id: "T",
      title: "Happy Day",
      content: "<p>x</p>",
      show_cover_pic: 1 as const,
      need_open_comment: 1 as const,
      only_fans_can_comment: 0 as const,
    };
    expect(await c.uploadNews({ articles: [a, a] })).toMatchObject({ type: "news", media_id: "NEWS_ID" });
    expect(json().articles).toHaveLength(2);
    expect(json().articles[0]).toMatchObject({ need_open_comment: 1, only_fans_can_comment: 0 });
    const before = seen.length;
    await expect(c.uploadNews({ articles: [] })).rejects.toThrow();
    await expect(c.uploadNews({ articles: Array(9).fill(a) })).rejects.toThrow();
    expect(seen.length).toBe(before);
    expect(await c.uploadVideo({ media_id: "V", title: "T", description: "D" })).toMatchObject({ type: "video", media_id: "MASSVIDEO_ID" });
  });

  it("reads tags, tag members and followers, paged by next_openid", async () => {
    const c = client();
    expect((await c.getTags()).tags[1]).toEqual({ id: 127, name: "广东", count: 5 });
    expect(await c.getTagUsers(127, "")).toMatchObject({ count: 2, next_openid: "p".repeat(28) });
    expect(json()).toEqual({ tagid: 127, next_openid: "" });
    expect((await c.getUsers()).data?.openid).toHaveLength(2);
  });

  it("sends to all, to a tag and to an OpenID list with the documented bodies", async () => {
    const c = client();
    expect(
      await c.sendAll({
        filter: { is_to_all: false, tag_id: 2 },
        message: { msgtype: "mpnews", mpnews: { media_id: "N" } },
        send_ignore_reprint: 1,
        clientmsgid: "qf-c1-v1-b1",
      }),
    ).toEqual({ status: "submitted", msg_id: "34182", msg_data_id: "206227730" });
    expect(json()).toEqual({
      filter: { is_to_all: false, tag_id: 2 },
      msgtype: "mpnews",
      mpnews: { media_id: "N" },
      send_ignore_reprint: 1,
      clientmsgid: "qf-c1-v1-b1",
    });
    await c.sendAll({ filter: { is_to_all: true }, message: { msgtype: "mpvideo", mpvideo: { media_id: "MV" } }, clientmsgid: "x" });
    expect(json()).toMatchObject({ filter: { is_to_all: true }, msgtype: "mpvideo", mpvideo: { media_id: "MV" } });
    await c.send({ touser: OPENIDS(3), message: { msgtype: "text", text: { content: "你好" } }, clientmsgid: "y" });
    expect(json()).toMatchObject({ touser: OPENIDS(3), msgtype: "text", text: { content: "你好" }, clientmsgid: "y" });
    await c.send({
      touser: OPENIDS(2),
      message: { msgtype: "image", images: { media_ids: ["a", "b"], recommend: "r", need_open_comment: 1, only_fans_can_comment: 0 } },
      clientmsgid: "z",
    });
    expect(json().images.media_ids).toEqual(["a", "b"]);
    await c.sendAll({ filter: { is_to_all: false, tag_id: 2 }, message: { msgtype: "wxcard", wxcard: { card_id: "CARD" } }, clientmsgid: "w" });
    expect(json()).toMatchObject({ msgtype: "wxcard", wxcard: { card_id: "CARD" } });
  });

  it("refuses touser of 1 or 10 001, a 65-byte clientmsgid and msgtype video before any request", async () => {
    const c = client();
    const before = seen.length;
    const m = { msgtype: "text" as const, text: { content: "x" } };
    await expect(c.send({ touser: OPENIDS(1), message: m, clientmsgid: "a" })).rejects.toThrow(/at least 2/);
    await expect(c.send({ touser: OPENIDS(10_001), message: m, clientmsgid: "a" })).rejects.toThrow(/10 000/);
    await expect(c.sendAll({ filter: { is_to_all: true }, message: m, clientmsgid: "群".repeat(22) })).rejects.toThrow(/64 bytes/);
    await expect(
      c.sendAll({ filter: { is_to_all: true }, message: { msgtype: "video", video: { media_id: "x" } } as never, clientmsgid: "a" }),
    ).rejects.toThrow();
    await expect(c.preview({ message: m, clientmsgid: "p" })).rejects.toThrow(/touser or towxname/);
    await expect(c.preview({ towxname: "qunfa_tester", message: m } as never)).rejects.toThrow();
    await expect(c.getMassStatus("not-a-number")).rejects.toThrow(/msg_id is a number/);
    await expect(c.getTagUsers(-1)).rejects.toThrow();
    await expect(c.uploadMedia("gif" as never, { data: new Uint8Array(1), filename: "a.gif", contentType: "image/gif" })).rejects.toThrow();
    expect(seen.length).toBe(before);
  });

  it("previews to an OpenID or a WeChat ID, deletes (whole, one article, by url), reads status and speed", async () => {
    const c = client();
    expect(await c.preview({ towxname: "qunfa_tester", message: { msgtype: "image", image: { media_id: "I" } }, clientmsgid: "p1" })).toEqual({
      msg_id: "34182",
    });
    expect(json()).toEqual({ towxname: "qunfa_tester", msgtype: "image", image: { media_id: "I" }, clientmsgid: "p1" });
    await c.deleteMass({ msg_id: "30124", article_idx: 2 });
    expect(json()).toEqual({ msg_id: "30124", article_idx: 2 });
    await c.deleteMass({ url: "https://mp.weixin.qq.com/s/abc" });
    expect(json()).toEqual({ url: "https://mp.weixin.qq.com/s/abc" });
    expect(await c.getMassStatus("201053012")).toEqual({ msg_id: "201053012", msg_status: "SEND_SUCCESS" });
    expect(await c.getSpeed()).toEqual({ speed: 3, realspeed: 15 });
    await c.setSpeed(4);
    expect(json()).toEqual({ speed: 4 });
    await expect(c.setSpeed(5)).rejects.toThrow();
  });
});

describe("errors and safety", () => {
  it("45065 is not a failure: the existing job's msg_id comes back", async () => {
    script = () => ({ body: JSON.stringify({ errcode: 45065, errmsg: "clientmsgid exist", msg_id: 123456 }) });
    try {
      const c = createWeChatClient({ baseUrl: base, tokenProvider: fixedTokens(["T"]) });
      expect(await c.sendAll({ filter: { is_to_all: true }, message: { msgtype: "text", text: { content: "x" } }, clientmsgid: "k" })).toEqual({
        status: "already-submitted",
        msg_id: "123456",
      });
    } finally {
      script = null;
    }
  });

  it("40001 refreshes the token once and repeats the identical request once", async () => {
    script = (s) =>
      s.query.get("access_token") === "OLD"
        ? { body: JSON.stringify({ errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" }) }
        : undefined;
    try {
      const tokens = fixedTokens(["OLD", "NEW"]);
      const c = createWeChatClient({ baseUrl: base, tokenProvider: tokens });
      const before = seen.length;
      const r = await c.send({ touser: OPENIDS(2), message: { msgtype: "text", text: { content: "x" } }, clientmsgid: "same-id" });
      expect(r.status).toBe("submitted");
      expect(tokens.invalidations).toEqual(["OLD"]);
      const calls = seen.slice(before);
      expect(calls).toHaveLength(2);
      expect(calls[0].body).toBe(calls[1].body);
      expect(calls.map((x) => x.query.get("access_token"))).toEqual(["OLD", "NEW"]);
    } finally {
      script = null;
    }
  });

  it("a timeout, a 5xx and a non-JSON answer become transport errors that keep the raw body and never the token", async () => {
    const c = createWeChatClient({ baseUrl: base, tokenProvider: fixedTokens(["SECRET_TOKEN_123"]), timeoutMs: 100 });
    script = () => ({ body: "{}", delayMs: 400 });
    const t = await c.getTags().catch((e) => e);
    expect(t).toBeInstanceOf(WeChatTransportError);
    expect(t.kind).toBe("timeout");
    expect(t.retry).toBe("retry-same-request");
    script = () => ({ status: 502, body: "bad gateway access_token=SECRET_TOKEN_123" });
    const h = await c.getTags().catch((e) => e);
    expect(h).toMatchObject({ kind: "http", status: 502 });
    expect(h.raw).not.toContain("SECRET_TOKEN_123");
    script = () => ({ body: "<html>maintenance</html>" });
    const n = await c.getTags().catch((e) => e);
    expect(n).toMatchObject({ kind: "not-json", raw: "<html>maintenance</html>" });
    script = () => ({ body: JSON.stringify({ tags: "nope" }) });
    const sch = await c.getTags().catch((e) => e);
    expect(sch).toMatchObject({ kind: "schema", retry: "never" });
    script = null;
    for (const e of [t, h, n, sch]) expect(`${e.message} ${e.raw ?? ""}`).not.toContain("SECRET_TOKEN_123");
  });

  it("errcodes carry meaning, action and retry class; unknown ones keep WeChat's errmsg", async () => {
    script = () => ({ body: JSON.stringify({ errcode: 40164, errmsg: "invalid ip 1.2.3.4, not in whitelist" }) });
    const e = await fetchAccessToken({ baseUrl: base, appid: "a", secret: "b" }).catch((x) => x);
    expect(e).toBeInstanceOf(WeChatApiError);
    expect(describeError(e, "zh-CN")).toContain("IP 白名单");
    expect(describeError(e, "en")).toContain("IP whitelist");
    script = () => ({ body: JSON.stringify({ errcode: 99999, errmsg: "something new" }) });
    const u = await fetchAccessToken({ baseUrl: base, appid: "a", secret: "b" }).catch((x) => x);
    expect(describeError(u, "en")).toBe("99999: something new");
    script = null;
  });
});
