import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { auditLog, mediaItems, sandboxMedia } from "@/db/schema";
import { describeEachDriver } from "@/test/db";
import { WeChatApiError } from "@/lib/wechat";
import { MediaRuleError } from "./errors";
import { formatLimit, planFor, RULES, sniffType } from "./limits";
import {
  copyMediaToAccount,
  createMassVideo,
  deleteMediaItem,
  ensureUsableMediaId,
  listMedia,
  listMediaForCampaign,
  mediaFile,
  uploadMediaItem,
} from "./media-service";
import { prepareMedia } from "./prepare";
import { sendToWeChat } from "./wechat-upload";
import { amrBytes, mp3Bytes, mp4Bytes, noisyImage } from "@/test/support/media-fixtures";
import { sandboxWorld, type SandboxWorld } from "@/test/support/sandbox-world";

const KB = 1024;
const MB = 1024 * 1024;

async function refused(p: Promise<unknown>): Promise<MediaRuleError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(MediaRuleError);
  return e as MediaRuleError;
}

it("the browser's pre-check plans the same as the rules", () => {
  expect(formatLimit(RULES.thumb.max)).toBe("64 KB");
  expect(formatLimit(RULES.inarticle.max)).toBe("1 MB");
  expect(formatLimit(RULES.image.max)).toBe("10 MB");
  expect(formatLimit(RULES.voice.max)).toBe("2 MB");
  expect(formatLimit(RULES.video.max)).toBe("10 MB");
  expect(planFor("video", "mp4", 12 * MB)).toEqual({ ok: false, code: "tooLarge", max: 10 * MB });
  expect(planFor("voice", "amr", 2 * MB + 1)).toEqual({ ok: false, code: "tooLarge", max: 2 * MB });
  expect(planFor("thumb", "png", 3 * MB)).toEqual({ ok: true, convert: true });
  expect(planFor("inarticle", "jpg", 500 * KB)).toEqual({ ok: true, convert: false });
  expect(planFor("voice", "png", 100)).toEqual({ ok: false, code: "wrongType" });
  expect(sniffType(amrBytes(1))).toBe("amr");
  expect(sniffType(mp3Bytes(1))).toBe("mp3");
  expect(sniffType(mp4Bytes(100))).toBe("mp4");
});

describeEachDriver("media library against the sandbox", (driver) => {
  let w: SandboxWorld;
  beforeAll(async () => {
    w = await sandboxWorld(driver);
  });
  afterAll(async () => {
    await w?.close();
  });
  const up = (
    kind: Parameters<typeof uploadMediaItem>[3]["kind"],
    bytes: Uint8Array,
    filename: string,
    extra: Partial<Parameters<typeof uploadMediaItem>[3]> = {},
  ) => uploadMediaItem(w.t.handle.db, w.actor, w.accountId, { kind, storage: "permanent", filename, bytes, ...extra }, { client: w.client });

  it("a 3 MB PNG cover becomes a JPG thumb under 64 KB, which WeChat (the sandbox) accepts", async () => {
    const png = await noisyImage(1200, 900);
    expect(png.length).toBeGreaterThan(3 * MB);
    const item = await up("thumb", png, "大封面.png");
    expect(item.mime).toBe("image/jpeg");
    expect(item.filename).toBe("大封面.jpg");
    expect(item.size).toBeLessThan(64 * KB);
    expect(item.conversion).toMatchObject({ fromMime: "image/png", fromSize: png.length });
    expect(item.conversion!.steps[0]).toBe("png→jpg");
    expect(item.mediaId).toMatch(/^PM_/);
    const file = await mediaFile(w.t.handle.db, w.accountId, item.id, "file");
    expect((await sharp(file!.bytes).metadata()).format).toBe("jpeg");
    expect(file!.bytes.length).toBe(item.size);
    expect((await mediaFile(w.t.handle.db, w.accountId, item.id, "preview"))!.bytes.length).toBeGreaterThan(100);
    // What the sandbox holds is exactly what was kept.
    const [sb] = await w.t.handle.db.select().from(sandboxMedia).where(eq(sandboxMedia.id, item.mediaId!));
    expect(sb.size).toBe(item.size);
  });

  it("a small JPG cover is sent as it is; a PNG named .jpg is still converted (type by content, not name)", async () => {
    const jpg = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#3a7" } })
      .jpeg()
      .toBuffer();
    const kept = await up("thumb", jpg, "small.jpg");
    expect(kept.conversion).toBeNull();
    expect(kept.size).toBe(jpg.length);
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#a37" } })
      .png()
      .toBuffer();
    const lied = await up("thumb", png, "looks-like.jpg");
    expect(lied.conversion?.fromMime).toBe("image/png");
    expect(lied.mime).toBe("image/jpeg");
  });

  it("in-article images: over 1 MB or WebP become JPG/PNG under 1 MB and get a WeChat URL; a small PNG is kept", async () => {
    const big = await noisyImage(1600, 1200, "jpeg");
    expect(big.length).toBeGreaterThan(MB);
    const a = await up("inarticle", big, "photo.jpg");
    expect(a.size).toBeLessThan(MB);
    expect(["image/jpeg", "image/png"]).toContain(a.mime);
    expect(a.url).toMatch(/\/sandbox-api\/mmbiz\/IMG_/);
    expect(a.mediaId).toBeNull();
    const webp = await noisyImage(400, 300, "webp");
    const b = await up("inarticle", webp, "pic.webp");
    expect(b.conversion?.fromMime).toBe("image/webp");
    expect(b.mime).toBe("image/jpeg");
    const smallPng = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const c = await up("inarticle", smallPng, "dot.png");
    expect(c.conversion).toBeNull();
    expect(c.mime).toBe("image/png");
    // The same picture again is the same URL, uploaded once.
    const again = await up("inarticle", smallPng, "dot-again.png");
    expect(again.id).toBe(c.id);
  });

  it("image material: up to 10 MB as it is; a larger PNG becomes a file under 10 MB", async () => {
    const large = await noisyImage(2600, 1600);
    expect(large.length).toBeGreaterThan(10 * MB);
    const item = await up("image", large, "poster.png");
    expect(item.size).toBeLessThanOrEqual(10 * MB);
    expect(item.mediaId).toBeTruthy();
    const gif = await noisyImage(64, 64, "gif");
    const g = await up("image", gif, "anim.gif", { storage: "temporary" });
    expect(g.mime).toBe("image/gif");
    expect(g.storage).toBe("temporary");
    expect(g.mediaId).toMatch(/^TM_/);
    const days = (g.expiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.99);
    expect(days).toBeLessThanOrEqual(3.01);
  });

  it("voice: 2 MB and 60 s, AMR or MP3, refused with the limit named; a 30 s AMR and MP3 go through", async () => {
    const bigAmr = await refused(up("voice", amrBytes(1400), "long.amr"));
    expect(amrBytes(1400).length).toBeGreaterThan(2 * MB);
    expect(bigAmr).toMatchObject({ code: "tooLarge", kind: "voice", params: { max: 2 * MB } });
    const longAmr = await refused(up("voice", amrBytes(61), "61s.amr"));
    expect(longAmr).toMatchObject({ code: "tooLong", params: { maxSeconds: 60, seconds: 61 } });
    const longMp3 = await refused(up("voice", mp3Bytes(75), "75s.mp3"));
    expect(longMp3.code).toBe("tooLong");
    expect(Number(longMp3.params.seconds)).toBeGreaterThan(60);
    const amr = await up("voice", amrBytes(30), "hello.amr");
    expect(amr.durationMs).toBe(30_000);
    expect(amr.mime).toBe("audio/amr");
    const mp3 = await up("voice", mp3Bytes(30), "hello.mp3", { storage: "temporary" });
    expect(Math.round(mp3.durationMs! / 1000)).toBe(30);
    // A picture named .mp3 is a picture.
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    expect(await refused(up("voice", png, "song.mp3"))).toMatchObject({ code: "wrongType", params: { allowed: "AMR/MP3", found: "PNG" } });
  });

  it("video: MP4 up to 10 MB; a 12 MB MP4 is refused naming 10 MB; a MOV is refused by content", async () => {
    expect(await refused(up("video", mp4Bytes(12 * MB), "big.mp4"))).toMatchObject({ code: "tooLarge", kind: "video", params: { max: 10 * MB } });
    const mov = mp4Bytes(2000);
    mov.write("qt  ", 8, "latin1");
    expect(await refused(up("video", mov, "clip.mp4"))).toMatchObject({ code: "wrongType", params: { found: "MOV" } });
    const v = await up("video", mp4Bytes(500 * KB), "clip.mp4", { title: "新品发布", description: "三十秒看完" });
    expect(v.mediaId).toMatch(/^PM_/);
    expect(v.title).toBe("新品发布");
  });

  it("nothing is recorded when WeChat refuses; the sandbox refuses what the server check would have caught", async () => {
    const before = (await listMedia(w.t.handle.db, w.accountId)).length;
    const png = await noisyImage(600, 400);
    // Straight to WeChat without the check: a PNG as thumb is 40004 (type) and a large JPG 40006 (size).
    const e1 = await sendToWeChat(w.client, "thumb", "temporary", { bytes: png, filename: "x.jpg", mime: "image/jpeg" }).catch((e) => e);
    expect(e1).toBeInstanceOf(WeChatApiError);
    expect(e1.errcode).toBe(40004);
    const bigJpg = await noisyImage(600, 400, "jpeg");
    const e2 = await sendToWeChat(w.client, "thumb", "temporary", { bytes: bigJpg, filename: "x.jpg", mime: "image/jpeg" }).catch((e) => e);
    expect(e2.errcode).toBe(40006);
    const e3 = await sendToWeChat(w.client, "video", "temporary", { bytes: mp4Bytes(11 * MB), filename: "x.mp4", mime: "video/mp4" }).catch((e) => e);
    expect(e3.errcode).toBe(40006);
    // And a refusal from WeChat (here a revoked token for the other account's client) leaves no row.
    const bad = { ...w.client, uploadMedia: async () => Promise.reject(new WeChatApiError(40004, "invalid media type", "media/upload", "{}")) };
    await expect(
      uploadMediaItem(w.t.handle.db, w.actor, w.accountId, { kind: "image", storage: "temporary", filename: "a.png", bytes: png }, { client: bad as never }),
    ).rejects.toBeInstanceOf(WeChatApiError);
    expect((await listMedia(w.t.handle.db, w.accountId)).length).toBe(before);
  });

  it("search and filter by kind; every upload and delete is audited", async () => {
    const thumbs = await listMedia(w.t.handle.db, w.accountId, { kind: "thumb" });
    expect(thumbs.length).toBeGreaterThanOrEqual(3);
    expect(thumbs.every((t) => t.kind === "thumb")).toBe(true);
    const found = await listMedia(w.t.handle.db, w.accountId, { q: "大封面" });
    expect(found.map((f) => f.filename)).toEqual(["大封面.jpg"]);
    expect(found[0].uploadedByName).toBe("编辑小王");
    const byMediaId = await listMedia(w.t.handle.db, w.accountId, { q: found[0].mediaId!.slice(3, 20) });
    expect(byMediaId[0].id).toBe(found[0].id);
    expect(await deleteMediaItem(w.t.handle.db, w.actor, w.accountId, found[0].id)).toBe(true);
    expect(await deleteMediaItem(w.t.handle.db, w.actor, w.accountId, found[0].id)).toBe(false);
    const audits = await w.t.handle.db.select().from(auditLog).where(eq(auditLog.entityId, found[0].id));
    expect(audits.map((a) => a.action).sort()).toEqual(["media.delete", "media.upload"]);
    expect(audits[0].accountId).toBe(w.accountId);
  });

  it("a video becomes a mass-send video (uploadvideo); the campaign list offers usable media only", async () => {
    const v = (await listMedia(w.t.handle.db, w.accountId, { kind: "video" }))[0];
    const mv = await createMassVideo(w.t.handle.db, w.actor, w.accountId, v.id, { title: "新品发布", description: "三十秒看完" }, { client: w.client });
    expect(mv.massMediaId).toMatch(/^MV_/);
    const videos = await listMediaForCampaign(w.t.handle.db, w.accountId, "video");
    expect(videos[0]).toMatchObject({ mediaId: mv.massMediaId, title: "新品发布", description: "三十秒看完", mediaItemId: v.id });
    const voice = await listMediaForCampaign(w.t.handle.db, w.accountId, "voice");
    expect(voice).toHaveLength(2);
    // An expired temporary voice is not offered…
    const temp = voice.find((x) => x.storage === "temporary")!;
    await w.t.handle.db
      .update(mediaItems)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(mediaItems.id, temp.id));
    expect((await listMediaForCampaign(w.t.handle.db, w.accountId, "voice")).map((x) => x.id)).not.toContain(temp.id);
    // …and is uploaded again from the kept bytes when something needs it.
    const fresh = await ensureUsableMediaId(w.t.handle.db, w.actor, w.accountId, temp.id, { client: w.client });
    expect(fresh).not.toBe(temp.mediaId);
    expect((await listMediaForCampaign(w.t.handle.db, w.accountId, "voice")).map((x) => x.id)).toContain(temp.id);
    const audits = await w.t.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, v.id), eq(auditLog.action, "media.uploadvideo")));
    expect(audits).toHaveLength(1);
    await expect(createMassVideo(w.t.handle.db, w.actor, w.accountId, temp.id, { title: "x", description: "y" }, { client: w.client })).rejects.toMatchObject({
      code: "notVideo",
    });
  });

  it("a file is uploaded again to another account from the kept bytes", async () => {
    const img = (await listMedia(w.t.handle.db, w.accountId, { kind: "image" }))[0];
    const copy = await copyMediaToAccount(w.t.handle.db, w.actor, w.accountId, img.id, w.otherAccountId, { client: w.otherClient });
    expect(copy.accountId).toBe(w.otherAccountId);
    expect(copy.mediaId).not.toBe(img.mediaId);
    expect(copy.size).toBe(img.size);
    expect((await listMedia(w.t.handle.db, w.otherAccountId)).map((x) => x.id)).toEqual([copy.id]);
    // Items stay in their account.
    expect(await mediaFile(w.t.handle.db, w.otherAccountId, img.id, "file")).toBeNull();
  });
});

it("prepareMedia refuses an empty file and an unreadable image", async () => {
  await expect(prepareMedia("image", new Uint8Array(), "x.png")).rejects.toMatchObject({ code: "empty" });
  const broken = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
  await expect(prepareMedia("thumb", broken, "x.png")).rejects.toMatchObject({ code: "unreadable" });
});
