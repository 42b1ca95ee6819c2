import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { sandboxFollowers } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { runDueSandboxJobs, sandboxCredentials, seedSandbox } from "@/lib/sandbox";
import { createWeChatClient, createMemoryTokenProvider, fetchAccessToken, WeChatApiError, type WeChatClient } from "./index";

// Every endpoint of the client, over HTTP, against the sandbox (the fixture-based tests in
// client.test.ts check the exact bodies; these check that the two agree on the real exchange).
describeEachDriver("lib/wechat against the sandbox", (driver) => {
  let t: TestDb;
  let server: { url: string; close(): Promise<void> };
  let c: WeChatClient;
  let openids: string[];
  const [svc] = sandboxCredentials();

  beforeAll(async () => {
    t = await createTestDb(driver);
    server = await startTestServer(t.handle.db);
    await seedSandbox(t.handle.db, { followers: 120 });
    openids = (
      await t.handle.db.select({ o: sandboxFollowers.openid }).from(sandboxFollowers).where(eq(sandboxFollowers.appid, svc.appid)).orderBy(sandboxFollowers.seq)
    ).map((r) => r.o);
    const baseUrl = `${server.url}/sandbox-api`;
    c = createWeChatClient({
      baseUrl,
      tokenProvider: createMemoryTokenProvider({
        fetchToken: (force) => fetchAccessToken({ baseUrl, appid: svc.appid, secret: svc.secret, forceRefresh: force }),
      }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  it("tokens, media, material, uploadimg, uploadnews, uploadvideo", async () => {
    expect((await fetchAccessToken({ baseUrl: `${server.url}/sandbox-api`, appid: svc.appid, secret: svc.secret, mode: "classic" })).expires_in).toBe(7200);
    const jpg = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#00f" } })
      .jpeg()
      .toBuffer();
    const file = { data: new Uint8Array(jpg), filename: "a.jpg", contentType: "image/jpeg" };
    const thumb = await c.uploadMedia("thumb", file);
    expect(thumb.media_id).toMatch(/^TM_/);
    expect((await c.addMaterial("image", file)).url).toContain("/sandbox-api/mmbiz/");
    expect((await c.uploadImg(file)).url).toContain("/sandbox-api/mmbiz/");
    const news = await c.uploadNews({ articles: [{ thumb_media_id: thumb.media_id, title: "标题", content: "<p>正文</p>", need_open_comment: 1 }] });
    expect(news.type).toBe("news");
    const mp4 = new Uint8Array(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypmp42"), Buffer.alloc(100)]));
    const video = await c.uploadMedia("video", { data: mp4, filename: "v.mp4", contentType: "video/mp4" });
    expect((await c.uploadVideo({ media_id: video.media_id, title: "T", description: "D" })).type).toBe("video");
    const err = await c.uploadMedia("thumb", { data: new Uint8Array(Buffer.from("text")), filename: "x.jpg", contentType: "image/jpeg" }).catch((e) => e);
    expect(err).toBeInstanceOf(WeChatApiError);
    expect(err.errcode).toBe(40004);
  });

  it("tags, tag members, followers; sendall, send, preview, get, delete, speed", async () => {
    const tags = (await c.getTags()).tags;
    expect(tags.length).toBe(12);
    const members = await c.getTagUsers(110);
    expect(members.count).toBeGreaterThan(0);
    expect((await c.getUsers()).total).toBe(120);
    const jpg = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#0f0" } })
      .jpeg()
      .toBuffer();
    const thumb = await c.uploadMedia("thumb", { data: new Uint8Array(jpg), filename: "t.jpg", contentType: "image/jpeg" });
    const news = await c.uploadNews({ articles: [1, 2].map((i) => ({ thumb_media_id: thumb.media_id, title: `第 ${i} 篇`, content: "<p>x</p>" })) });
    const all = await c.sendAll({
      filter: { is_to_all: false, tag_id: 110 },
      message: { msgtype: "mpnews", mpnews: { media_id: news.media_id } },
      send_ignore_reprint: 0,
      clientmsgid: "ws-1",
    });
    expect(all.status).toBe("submitted");
    if (all.status === "submitted") expect(all.msg_data_id).toBeTruthy();
    const list = await c.send({ touser: openids.slice(0, 3), message: { msgtype: "text", text: { content: "hi" } }, clientmsgid: "ws-2" });
    expect(list.status).toBe("submitted");
    expect((await c.preview({ towxname: "qunfa_tester", message: { msgtype: "text", text: { content: "预览" } }, clientmsgid: "ws-p1" })).msg_id).toBeTruthy();
    expect((await c.getMassStatus(all.msg_id)).msg_status).toBe("SENDING");
    await new Promise((r) => setTimeout(r, 300));
    await runDueSandboxJobs(t.handle.db);
    expect((await c.getMassStatus(all.msg_id)).msg_status).toBe("SEND_SUCCESS");
    await c.deleteMass({ msg_id: all.msg_id, article_idx: 2 });
    await c.deleteMass({ msg_id: all.msg_id });
    expect((await c.getMassStatus(all.msg_id)).msg_status).toBe("DELETE");
    await c.setSpeed(1);
    expect(await c.getSpeed()).toEqual({ speed: 1, realspeed: 60 });
  });
});
