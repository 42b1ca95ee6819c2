import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import {
  sandboxApps,
  sandboxClientMsgIds,
  sandboxListDeliveries,
  sandboxFollowers,
  sandboxJobs,
  sandboxMedia,
  sandboxTagMembers,
  sandboxTags,
  sandboxTokens,
  type SandboxSettings,
} from "@/db/schema";
import { sbDate, sbNow } from "./clock";
import { timeScale } from "./defaults";
import { sandboxTagList } from "./followers";
import { wechatArticleHtml } from "./html";
import { checkFields, massDeleteBody, massGetBody, parseWechatBody, speedSetBody, tagUsersBody } from "./schemas";
import { bump, cnDay, cnMonth, counter, err, faultRng, json, prng, sniff } from "./util";

type App = typeof sandboxApps.$inferSelect;

export interface SandboxOptions {
  /** Origin the sandbox's own URLs use (uploadimg URLs, article URLs); default: the request's. */
  origin?: string;
}

const TOKEN_TTL = 7200;
const OVERLAP_MS = 5 * 60_000;
const TEMP_MEDIA_MS = 3 * 24 * 3600_000;
const MASS_TYPES = ["mpnews", "text", "voice", "image", "mpvideo", "wxcard"];
const OPENID_RE = /^[A-Za-z0-9_-]{28}$/;

function rng(app: App) {
  const seed = app.settings.faults?.seed;
  if (seed === undefined) return Math.random;
  const key = `${app.appid}:${seed}`;
  let r = faultRng.get(key);
  if (!r) faultRng.set(key, (r = prng(seed)));
  return r;
}

/** A Response whose body fails: the client sees the connection drop (no answer). */
function dropped(): Response {
  return new Response(
    new ReadableStream({
      start(c) {
        c.error(new Error("sandbox: connection dropped"));
      },
    }),
    { status: 200, headers: { "x-sandbox-drop": "1" } },
  );
}

async function appOf(db: Db, appid: string | null): Promise<App | null> {
  if (!appid) return null;
  const [a] = await db.select().from(sandboxApps).where(eq(sandboxApps.appid, appid));
  return a ?? null;
}

// ---------------------------------------------------------------- tokens

async function issueToken(db: Db, appid: string, kind: "classic" | "stable") {
  const token = `SBX${kind === "stable" ? "S" : "C"}_${randomBytes(36).toString("base64url")}`;
  await db.insert(sandboxTokens).values({ token, appid, kind, expiresAt: new Date(sbNow() + TOKEN_TTL * 1000) });
  return token;
}

async function classicToken(db: Db, q: URLSearchParams) {
  if (q.get("grant_type") !== "client_credential") return err(40002, "invalid grant_type");
  const app = await appOf(db, q.get("appid"));
  if (!app) return err(40013, "invalid appid");
  if (q.get("secret") !== app.secret) return err(40125, "invalid appsecret");
  // Each call makes a new token; the previous ones keep working for 5 more minutes.
  await db
    .update(sandboxTokens)
    .set({ supersededAt: sbDate() })
    .where(and(eq(sandboxTokens.appid, app.appid), eq(sandboxTokens.kind, "classic"), isNull(sandboxTokens.supersededAt)));
  return json({ access_token: await issueToken(db, app.appid, "classic"), expires_in: TOKEN_TTL });
}

async function stableToken(db: Db, body: Record<string, unknown>) {
  if (body.grant_type !== "client_credential") return err(40002, "invalid grant_type");
  const app = await appOf(db, typeof body.appid === "string" ? body.appid : null);
  if (!app) return err(40013, "invalid appid");
  if (body.secret !== app.secret) return err(40125, "invalid appsecret");
  const [cur] = await db
    .select()
    .from(sandboxTokens)
    .where(and(eq(sandboxTokens.appid, app.appid), eq(sandboxTokens.kind, "stable"), isNull(sandboxTokens.supersededAt), gt(sandboxTokens.expiresAt, sbDate())))
    .orderBy(desc(sandboxTokens.createdAt))
    .limit(1);
  if (body.force_refresh === true) {
    // force_refresh: at most 20 a day and 30 s apart; the old token stops at once.
    const last = await counter(db, app.appid, "stable-force-last");
    if (sbNow() / 1000 - last < 30) return err(45011, "api minute-quota reach limit mustslower retry next minute");
    if ((await bump(db, app.appid, `stable-force:${cnDay()}`)) > 20) return err(45009, "reach max api daily quota limit");
    await db.execute(
      sql`insert into sandbox_counters (appid, key, count) values (${app.appid}, 'stable-force-last', ${Math.floor(sbNow() / 1000)})
          on conflict (appid, key) do update set count = excluded.count`,
    );
    await db
      .update(sandboxTokens)
      .set({ supersededAt: new Date(sbNow() - OVERLAP_MS) })
      .where(and(eq(sandboxTokens.appid, app.appid), eq(sandboxTokens.kind, "stable"), isNull(sandboxTokens.supersededAt)));
    return json({ access_token: await issueToken(db, app.appid, "stable"), expires_in: TOKEN_TTL });
  }
  if (cur) {
    const left = Math.floor((cur.expiresAt.getTime() - sbNow()) / 1000);
    // Renewed in its last 5 minutes; the old one stays valid to its end (the overlap).
    if (left > 300) return json({ access_token: cur.token, expires_in: left });
  }
  return json({ access_token: await issueToken(db, app.appid, "stable"), expires_in: TOKEN_TTL });
}

async function authApp(db: Db, q: URLSearchParams): Promise<App | Response> {
  const token = q.get("access_token");
  if (!token) return err(41001, "access_token missing");
  if (!/^SBX[SC]_[A-Za-z0-9_-]{48}$/.test(token)) return err(40014, "invalid access_token");
  const [t] = await db.select().from(sandboxTokens).where(eq(sandboxTokens.token, token));
  if (!t) return err(40001, "invalid credential, access_token is invalid or not latest");
  if (t.supersededAt && sbNow() - t.supersededAt.getTime() > OVERLAP_MS) return err(40001, "invalid credential, access_token is invalid or not latest");
  if (t.expiresAt.getTime() < sbNow()) return err(42001, "access_token expired");
  return (await appOf(db, t.appid))!;
}

// ---------------------------------------------------------------- media

const LIMITS: Record<string, { max: number; types: string[] }> = {
  image: { max: 10 * 1024 * 1024, types: ["jpg", "png", "gif", "bmp"] },
  voice: { max: 2 * 1024 * 1024, types: ["amr", "mp3"] },
  video: { max: 10 * 1024 * 1024, types: ["mp4"] },
  thumb: { max: 64 * 1024, types: ["jpg"] },
  inarticle: { max: 1024 * 1024 - 1, types: ["jpg", "png"] },
};

async function mediaUpload(db: Db, app: App, req: Request, kind: string, permanent: boolean, origin: string) {
  const limit = LIMITS[kind];
  if (!limit) return err(40004, "invalid media type");
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return err(41005, "media data missing");
  }
  const file = form.get("media");
  if (!(file instanceof Blob)) return err(41005, "media data missing");
  const bytes = Buffer.from(await file.arrayBuffer());
  const type = sniff(bytes);
  if (!type || !limit.types.includes(type)) return err(40004, "invalid media type");
  if (bytes.length > limit.max || bytes.length === 0) return err(40006, "invalid meida size");
  let meta: Record<string, unknown> = { filename: (file as File).name ?? "" };
  if (permanent && kind === "video") {
    try {
      meta = { ...meta, ...JSON.parse(String(form.get("description") ?? "")) };
    } catch {
      return err(40007, "invalid video description");
    }
  }
  const id = `${kind === "inarticle" ? "IMG" : permanent ? "PM" : "TM"}_${randomBytes(24).toString("base64url")}`;
  await db.insert(sandboxMedia).values({
    id,
    appid: app.appid,
    kind,
    permanent: permanent || kind === "inarticle",
    mime: `application/${type}`,
    size: bytes.length,
    bytes,
    meta,
    expiresAt: permanent || kind === "inarticle" ? null : new Date(sbNow() + TEMP_MEDIA_MS),
  });
  const url = `${origin}/sandbox-api/mmbiz/${id}`;
  if (kind === "inarticle") return json({ url });
  if (permanent) return json(kind === "image" ? { media_id: id, url } : { media_id: id });
  if (kind === "thumb") return json({ type: "thumb", thumb_media_id: id, created_at: Math.floor(sbNow() / 1000) });
  return json({ type: kind, media_id: id, created_at: Math.floor(sbNow() / 1000) });
}

async function mediaById(db: Db, app: App, id: unknown, kinds: string[]) {
  if (typeof id !== "string" || !id) return null;
  const [m] = await db
    .select()
    .from(sandboxMedia)
    .where(and(eq(sandboxMedia.id, id), eq(sandboxMedia.appid, app.appid)));
  if (!m || !kinds.includes(m.kind)) return null;
  if (m.expiresAt && m.expiresAt.getTime() < sbNow()) return null;
  return m;
}

interface Article {
  thumb_media_id?: unknown;
  title?: unknown;
  content?: unknown;
  author?: unknown;
  digest?: unknown;
  content_source_url?: unknown;
  show_cover_pic?: unknown;
  need_open_comment?: unknown;
  only_fans_can_comment?: unknown;
}

async function uploadNews(db: Db, app: App, body: Record<string, unknown>, origin: string) {
  const articles = body.articles;
  if (!Array.isArray(articles) || articles.length === 0) return err(44003, "empty news data");
  if (articles.length > 8) return err(45008, "article size out of limit");
  const clean = [];
  for (const a of articles as Article[]) {
    if (!a || typeof a !== "object" || Array.isArray(a)) return err(47001, "data format error");
    if (typeof a.title !== "string" || !a.title.trim() || typeof a.content !== "string" || !a.content.trim()) return err(44003, "empty news data");
    if (a.content.length >= 20_000 || Buffer.byteLength(a.content) >= 1024 * 1024) return err(45002, "content size out of limit");
    if (a.title.length > 64) return err(45003, "title size out of limit");
    if (!(await mediaById(db, app, a.thumb_media_id, ["thumb", "image"]))) return err(40007, "invalid media_id");
    // WeChat strips script, and images that are not its own (uploadimg) URLs.
    const content = wechatArticleHtml(a.content);
    clean.push({ ...a, content });
  }
  const id = `NEWS_${randomBytes(24).toString("base64url")}`;
  await db.insert(sandboxMedia).values({
    id,
    appid: app.appid,
    kind: "news",
    permanent: !!app.settings.uploadnewsAsDraft,
    meta: { articles: clean, origin },
    expiresAt: new Date(sbNow() + TEMP_MEDIA_MS),
  });
  return json({ type: "news", media_id: id, created_at: Math.floor(sbNow() / 1000) });
}

async function uploadVideo(db: Db, app: App, body: Record<string, unknown>) {
  const v = await mediaById(db, app, body.media_id, ["video"]);
  if (!v) return err(40007, "invalid media_id");
  const id = `MV_${randomBytes(24).toString("base64url")}`;
  await db.insert(sandboxMedia).values({
    id,
    appid: app.appid,
    kind: "mpvideo",
    permanent: true,
    meta: { video: v.id, title: String(body.title ?? ""), description: String(body.description ?? "") },
  });
  return json({ type: "video", media_id: id, created_at: Math.floor(sbNow() / 1000) });
}

// ---------------------------------------------------------------- mass send

/** Checks the message body against its msgtype and this app's media. */
async function checkMessage(db: Db, app: App, b: Record<string, unknown>, forPreview: boolean): Promise<Response | { summary: Record<string, unknown> }> {
  const t = b.msgtype;
  if (typeof t !== "string" || !MASS_TYPES.includes(t)) return err(40008, "invalid message type");
  const part = b[t] as Record<string, unknown> | undefined;
  switch (t) {
    case "text":
      if (!part || typeof part.content !== "string" || !part.content) return err(44004, "empty content");
      if (Buffer.byteLength(part.content) > 2048) return err(45002, "content size out of limit");
      return { summary: { text: part.content } };
    case "mpnews": {
      const m = await mediaById(db, app, part?.media_id, ["news"]);
      if (!m) return err(40007, "invalid media_id");
      return { summary: { newsId: m.id, articles: m.meta.articles } };
    }
    case "image": {
      const images = b.images as { media_ids?: unknown } | undefined;
      const ids = !forPreview && images && Array.isArray(images.media_ids) ? images.media_ids : [part?.media_id];
      for (const id of ids) if (!(await mediaById(db, app, id, ["image"]))) return err(40007, "invalid media_id");
      return { summary: { images: ids } };
    }
    case "voice":
      if (!(await mediaById(db, app, part?.media_id, ["voice"]))) return err(40007, "invalid media_id");
      return { summary: { voice: part!.media_id } };
    case "mpvideo": {
      const m = await mediaById(db, app, part?.media_id, ["mpvideo"]);
      if (!m) return err(40007, "invalid media_id");
      return { summary: { video: m.id, videoFile: m.meta.video, title: part?.title ?? m.meta.title, description: part?.description ?? m.meta.description } };
    }
    case "wxcard":
      if (!part || typeof part.card_id !== "string" || !part.card_id) return err(40073, "invalid card id");
      return { summary: { card: part.card_id } };
  }
  return err(40008, "invalid message type");
}

/** realspeed of speed/get: 10 000 followers a minute at each of the speeds 0–4 (WeChat's 「高级群发接口」). */
const REALSPEED = [80, 60, 45, 30, 10];

/**
 * How long a job takes: 200 ms to start, then the audience at the account's real speed (speed 0:
 * 800 000 followers a minute, so 50 000 take 3.75 s), all times SANDBOX_TIME_SCALE (0: at once).
 */
function jobDurationMs(n: number, speed = 0) {
  const perMs = ((REALSPEED[speed] ?? REALSPEED[0]) * 10_000) / 60_000;
  return (200 + n / perMs) * timeScale();
}

async function massSend(db: Db, app: App, b: Record<string, unknown>, kind: "sendall" | "send", origin: string): Promise<Response> {
  if (!app.verified) return err(48001, "api unauthorized");
  if (kind === "send" && app.type !== "service") return err(48001, "api unauthorized");
  let target: Record<string, unknown>;
  let audience = 0;
  let isToAll = false;
  if (kind === "sendall") {
    const f = b.filter as { is_to_all?: unknown; tag_id?: unknown } | undefined;
    if (!f || typeof f !== "object" || Array.isArray(f)) return err(40035, "invalid args");
    if (f.is_to_all === true) {
      isToAll = true;
      target = { all: true };
      audience = (await db.$count(sandboxFollowers, eq(sandboxFollowers.appid, app.appid))) as number;
    } else {
      const tagId = Number(f.tag_id);
      const [tag] =
        Number.isInteger(tagId) && tagId > 0 && tagId <= 2_147_483_647
          ? await db
              .select()
              .from(sandboxTags)
              .where(and(eq(sandboxTags.appid, app.appid), eq(sandboxTags.id, tagId)))
          : [];
      if (!tag) return err(45159, "invalid tag id");
      target = { tagId };
      // The job's duration scales with its audience, whatever the target.
      audience = (await db.$count(sandboxTagMembers, and(eq(sandboxTagMembers.appid, app.appid), eq(sandboxTagMembers.tagId, tagId)))) as number;
    }
  } else {
    const touser = b.touser;
    if (!Array.isArray(touser) || touser.length < 2) return err(40130, "invalid openid list size, at least two openid");
    if (touser.length > 10_000) return err(40032, "invalid openid list size");
    if (touser.some((o) => typeof o !== "string" || !OPENID_RE.test(o))) return err(40003, "invalid openid");
    target = { openids: touser };
    audience = touser.length;
  }
  const checked = await checkMessage(db, app, b, false);
  if (checked instanceof Response) return checked;

  // clientmsgid: remembered 24 h; the same again answers 45065 with the job's msg_id, or 45066
  // within a minute of the FIRST attempt (measured from the first, not the previous one: a client
  // retrying every 30 s gets 45066 once, then 45065). Without one, WeChat digests target + body.
  let cmid = typeof b.clientmsgid === "string" ? b.clientmsgid : "";
  if (Buffer.byteLength(cmid) > 64) return err(45067, "clientmsgid size out of limit");
  if (!cmid)
    cmid =
      "auto:" +
      createHash("sha256")
        .update(JSON.stringify({ target, msgtype: b.msgtype, m: b[String(b.msgtype)], images: b.images }))
        .digest("hex");
  const windowMs = (app.settings as SandboxSettings & { clientMsgIdRetryWindowSec?: number }).clientMsgIdRetryWindowSec ?? 60;
  const [seen] = await db
    .select()
    .from(sandboxClientMsgIds)
    .where(
      and(
        eq(sandboxClientMsgIds.appid, app.appid),
        eq(sandboxClientMsgIds.clientMsgId, cmid),
        gt(sandboxClientMsgIds.firstAt, new Date(sbNow() - 24 * 3600_000)),
      ),
    );
  if (seen?.msgId) {
    const tooFast = sbNow() - seen.firstAt.getTime() < windowMs * 1000;
    await db
      .update(sandboxClientMsgIds)
      .set({ lastAt: sbDate() })
      .where(and(eq(sandboxClientMsgIds.appid, app.appid), eq(sandboxClientMsgIds.clientMsgId, cmid)));
    if (tooFast) return err(45066, "same clientmsgid retry too fast");
    return json({ errcode: 45065, errmsg: "clientmsgid exist", msg_id: seen.msgId });
  }

  // Quotas (WeChat's 「高级群发接口」). Subscription account, reading chosen: WeChat's 「高级群发接口」 says both "群发接口每天可成
  // 功调用1次 (to all or to one tag)" and, for the history list, "只能使用is_to_all为true进行群发一次"
  // a day; we apply the stricter first sentence — one accepted sendall a calendar day (Asia/Shanghai),
  // is_to_all or tag — which also guarantees at most one is_to_all (one history-list entry) a day;
  // the second check states the history rule on its own so it survives a change of the first.
  // Service account: is_to_all sends (history-list entries) at most 4 a calendar month, then
  // 45028; tag and OpenID-list sends are not limited that way, only each follower's 4 a month.
  if (app.type === "subscription") {
    if ((await counter(db, app.appid, `sends:${cnDay()}`)) >= 1) return err(45028, "has no masssend quota");
    if (isToAll && (await counter(db, app.appid, `toall-day:${cnDay()}`)) >= 1) return err(45028, "has no masssend quota");
  }
  if (app.type === "service" && isToAll && (await counter(db, app.appid, `toall:${cnMonth()}`)) >= 4) return err(45028, "has no masssend quota");
  const daily = (app.settings as { dailyLimit?: number }).dailyLimit ?? 100;
  if ((await bump(db, app.appid, `massday:${cnDay()}`)) > daily) return err(45009, "reach max api daily quota limit");

  const [job] = await db
    .insert(sandboxJobs)
    .values({
      appid: app.appid,
      msgtype: String(b.msgtype),
      body: { ...checked.summary, origin },
      target,
      isToAll,
      audienceKind: isToAll ? "all" : "tagId" in target ? "tag" : "list",
      audienceTagId: "tagId" in target ? Number(target.tagId) : null,
      sendIgnoreReprint: b.send_ignore_reprint === 1 ? 1 : 0,
      clientMsgId: cmid,
      // An audience-wide job's TotalCount is its audience when accepted (followers do not change
      // between seeds): the job reuses it instead of counting a million followers again.
      totalCount: kind === "sendall" ? audience : null,
      createdAt: sbDate(),
      dueAt: new Date(sbNow() + jobDurationMs(audience, app.speed)),
    })
    .returning({ msgId: sandboxJobs.msgId });
  const msgDataId = b.msgtype === "mpnews" ? 2_000_000_000 + job.msgId : null;
  if (msgDataId) await db.update(sandboxJobs).set({ msgDataId }).where(eq(sandboxJobs.msgId, job.msgId));
  await db
    .insert(sandboxClientMsgIds)
    .values({ appid: app.appid, clientMsgId: cmid, msgId: job.msgId, firstAt: sbDate(), lastAt: sbDate() })
    .onConflictDoUpdate({
      target: [sandboxClientMsgIds.appid, sandboxClientMsgIds.clientMsgId],
      set: { msgId: job.msgId, firstAt: sbDate(), lastAt: sbDate() },
    });
  if (app.type === "subscription") await bump(db, app.appid, `sends:${cnDay()}`);
  if (isToAll) await bump(db, app.appid, `toall:${cnMonth()}`);
  if (isToAll && app.type === "subscription") await bump(db, app.appid, `toall-day:${cnDay()}`);
  return json({ errcode: 0, errmsg: "send job submission success", msg_id: job.msgId, ...(msgDataId ? { msg_data_id: msgDataId } : {}) });
}

async function preview(db: Db, app: App, b: Record<string, unknown>, origin: string) {
  let follower: { openid: string } | undefined;
  // towxname wins when both are given (WeChat's 「高级群发接口」).
  if (typeof b.towxname === "string" && b.towxname) {
    [follower] = await db
      .select({ openid: sandboxFollowers.openid })
      .from(sandboxFollowers)
      .where(and(eq(sandboxFollowers.appid, app.appid), eq(sandboxFollowers.wechatId, b.towxname)));
    if (!follower) return err(40132, "invalid username");
  } else if (typeof b.touser === "string" && b.touser) {
    if (!OPENID_RE.test(b.touser)) return err(40003, "invalid openid");
    [follower] = await db
      .select({ openid: sandboxFollowers.openid })
      .from(sandboxFollowers)
      .where(and(eq(sandboxFollowers.appid, app.appid), eq(sandboxFollowers.openid, b.touser)));
    if (!follower) return err(43004, "require subscribe");
  } else return err(40003, "invalid openid");
  const checked = await checkMessage(db, app, b, true);
  if (checked instanceof Response) return checked;
  if ((await bump(db, app.appid, `preview:${cnDay()}`)) > 100) return err(45009, "reach max api daily quota limit");
  const [job] = await db
    .insert(sandboxJobs)
    .values({
      appid: app.appid,
      msgtype: String(b.msgtype),
      body: { ...checked.summary, origin },
      target: { preview: follower.openid },
      audienceKind: "preview",
      preview: true,
      status: "SEND_SUCCESS",
      resultStatus: "send success",
      dueAt: sbDate(),
      finishedAt: sbDate(),
      totalCount: 1,
      filterCount: 1,
      sentCount: 1,
      errorCount: 0,
    })
    .returning({ msgId: sandboxJobs.msgId });
  await db.insert(sandboxListDeliveries).values({ msgId: job.msgId, appid: app.appid, openid: follower.openid, preview: true, at: sbDate() });
  return json({ errcode: 0, errmsg: "preview success", msg_id: job.msgId });
}

async function deleteMass(db: Db, app: App, b: Record<string, unknown>) {
  let job: typeof sandboxJobs.$inferSelect | undefined;
  const f = checkFields(massDeleteBody, b);
  if (!f.ok) return err(f.errcode, f.errmsg);
  const idx = f.value.article_idx ?? 0;
  if (f.value.msg_id !== undefined) {
    [job] = await db
      .select()
      .from(sandboxJobs)
      .where(and(eq(sandboxJobs.appid, app.appid), eq(sandboxJobs.msgId, f.value.msg_id), eq(sandboxJobs.preview, false)));
  } else if (f.value.url !== undefined) {
    const m = /\/sandbox-api\/s\/(\d{1,15})\/(\d+)/.exec(f.value.url);
    if (m)
      [job] = await db
        .select()
        .from(sandboxJobs)
        .where(and(eq(sandboxJobs.appid, app.appid), eq(sandboxJobs.msgId, Number(m[1]))));
  }
  if (!job) return err(40059, "invalid msg id");
  if (job.msgtype !== "mpnews" && job.msgtype !== "mpvideo") return err(45052, "masssend msg use invalid type");
  if (job.status !== "SEND_SUCCESS" && job.status !== "DELETE") return err(40059, "invalid msg id");
  const count = job.msgtype === "mpnews" ? ((job.body.articles as unknown[]) ?? []).length : 1;
  if (!Number.isInteger(idx) || idx < 0 || idx > count) return err(40060, "invalid article_idx");
  // The article page belongs to the material: every send of the same media loses it.
  const materialKey = job.msgtype === "mpnews" ? "newsId" : "video";
  const same = await db.execute(
    sql`select msg_id from sandbox_jobs where appid = ${app.appid} and body->>${materialKey} = ${String(job.body[materialKey])} and preview = false`,
  );
  for (const r of (same as unknown as { rows: { msg_id: number }[] }).rows) {
    if (idx === 0)
      await db
        .update(sandboxJobs)
        .set({ status: "DELETE" })
        .where(eq(sandboxJobs.msgId, Number(r.msg_id)));
    else
      await db.execute(
        sql`update sandbox_jobs
            set body = jsonb_set(body, '{deletedArticles}', coalesce(body->'deletedArticles', '[]'::jsonb) || ${JSON.stringify([idx])}::jsonb)
            where msg_id = ${Number(r.msg_id)}`,
      );
  }
  return json({ errcode: 0, errmsg: "ok" });
}

// ---------------------------------------------------------------- dispatcher

const MASS_ENDPOINTS = new Set(["message/mass/sendall", "message/mass/send", "message/mass/preview"]);

/**
 * The simulated WeChat API: `path` is what follows `/cgi-bin/`. Web Request in, Response out.
 * Like WeChat, it answers every request with JSON and an errcode: an error no rule foresaw is
 * logged and answered as WeChat's -1 "system error", never an HTTP 500.
 */
export async function handleSandboxRequest(db: Db, req: Request, opts: SandboxOptions = {}): Promise<Response> {
  try {
    return await dispatch(db, req, opts);
  } catch (e) {
    console.error("[qunfa] sandbox API:", new URL(req.url).pathname, (e as Error).message);
    return err(-1, "system error");
  }
}

async function dispatch(db: Db, req: Request, opts: SandboxOptions): Promise<Response> {
  const url = new URL(req.url);
  const origin = opts.origin ?? url.origin;
  const i = url.pathname.indexOf("/cgi-bin/");
  if (i < 0) return err(40066, "invalid url");
  const path = url.pathname.slice(i + "/cgi-bin/".length).replace(/\/$/, "");
  const q = url.searchParams;
  const readJson = async (): Promise<Record<string, unknown> | Response> => {
    const r = parseWechatBody(await req.text());
    return r.ok ? r.body : err(r.errcode, r.errmsg);
  };

  if (path === "token" && req.method === "GET") return classicToken(db, q);
  if (path === "stable_token" && req.method === "POST") {
    const b = await readJson();
    return b instanceof Response ? b : stableToken(db, b);
  }
  const app = await authApp(db, q);
  if (app instanceof Response) return app;

  const faults = app.settings.faults ?? {};
  if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
  const isSend = path === "message/mass/sendall" || path === "message/mass/send";
  if (isSend) {
    const roll = rng(app);
    if (faults.dropBeforeRate && roll() < faults.dropBeforeRate) return dropped();
    if (faults.http5xxRate && roll() < faults.http5xxRate) return new Response("<html>502 Bad Gateway</html>", { status: 502 });
    if (faults.errorRate && roll() < faults.errorRate) return err(-1, "system error");
  }
  if (MASS_ENDPOINTS.has(path)) {
    // 60 requests a calendar minute (configurable per app for benches).
    const perMinute = app.settings.perMinute ?? 60;
    if ((await bump(db, app.appid, `minute:${Math.floor(sbNow() / 60_000)}`)) > perMinute)
      return err(45011, "api minute-quota reach limit mustslower retry next minute");
  }

  switch (path) {
    case "media/upload":
      return mediaUpload(db, app, req, q.get("type") ?? "", false, origin);
    case "material/add_material":
      return mediaUpload(db, app, req, q.get("type") ?? "", true, origin);
    case "media/uploadimg":
      return mediaUpload(db, app, req, "inarticle", true, origin);
  }
  if (path === "tags/get") return json({ tags: await sandboxTagList(db, app.appid) });
  if (path === "user/get") {
    const next = q.get("next_openid") ?? "";
    return followerPage(db, app.appid, null, next);
  }
  if (req.method !== "POST") return err(43002, "require POST method");
  const b = await readJson();
  if (b instanceof Response) return b;
  let res: Response;
  switch (path) {
    case "media/uploadnews":
      return uploadNews(db, app, b, origin);
    case "media/uploadvideo":
      return uploadVideo(db, app, b);
    case "user/tag/get": {
      const f = checkFields(tagUsersBody, b);
      if (!f.ok) return err(f.errcode, f.errmsg);
      return followerPage(db, app.appid, f.value.tagid, f.value.next_openid ?? "");
    }
    case "message/mass/sendall":
    case "message/mass/send":
      res = await massSend(db, app, b, path.endsWith("sendall") ? "sendall" : "send", origin);
      // Accepted, then the answer is lost: the client must retry with the same clientmsgid.
      if (res.status === 200 && faults.dropAfterRate && rng(app)() < faults.dropAfterRate) return dropped();
      return res;
    case "message/mass/preview":
      return preview(db, app, b, origin);
    case "message/mass/delete":
      return deleteMass(db, app, b);
    case "message/mass/get": {
      const f = checkFields(massGetBody, b);
      if (!f.ok) return err(f.errcode, f.errmsg);
      const [job] = await db
        .select()
        .from(sandboxJobs)
        .where(and(eq(sandboxJobs.appid, app.appid), eq(sandboxJobs.msgId, f.value.msg_id)));
      if (!job) return err(40059, "invalid msg id");
      // WeChat's four states only: a job being delivered (internally claimed) is still SENDING.
      const st = job.status === "SEND_SUCCESS" || job.status === "SEND_FAIL" || job.status === "DELETE" ? job.status : "SENDING";
      return json({ msg_id: job.msgId, msg_status: st });
    }
    case "message/mass/speed/get":
      return json({ speed: app.speed, realspeed: REALSPEED[app.speed] });
    case "message/mass/speed/set": {
      const f = checkFields(speedSetBody, b);
      if (!f.ok) return err(f.errcode, f.errmsg);
      if (f.value.speed === undefined || f.value.speed === null) return err(45084, "no speed");
      const s = f.value.speed;
      if (!Number.isInteger(s) || s < 0 || s > 4) return err(45083, "speed out of range");
      await db.update(sandboxApps).set({ speed: s }).where(eq(sandboxApps.appid, app.appid));
      return json({ errcode: 0, errmsg: "ok" });
    }
  }
  return err(48001, "api unauthorized");
}

async function followerPage(db: Db, appid: string, tagId: number | null, next: string) {
  const rows = (await db.execute(
    tagId === null
      ? sql`select openid from sandbox_followers where appid = ${appid} and openid > ${next} order by openid limit 10000`
      : sql`select openid from sandbox_tag_members where appid = ${appid} and tag_id = ${tagId} and openid > ${next} order by openid limit 10000`,
  )) as unknown as { rows: { openid: string }[] };
  const ids = rows.rows.map((r) => r.openid);
  const total = tagId === null ? ((await db.$count(sandboxFollowers, eq(sandboxFollowers.appid, appid))) as number) : undefined;
  return json({ ...(total !== undefined ? { total } : {}), count: ids.length, data: { openid: ids }, next_openid: ids.length ? ids[ids.length - 1] : "" });
}

/** Bytes of an uploaded file (images for uploadimg/add_material URLs; voice and video for the /sandbox inbox). */
export async function sandboxMediaFile(db: Db, id: string): Promise<{ mime: string; bytes: Buffer } | null> {
  const [m] = await db.select({ mime: sandboxMedia.mime, bytes: sandboxMedia.bytes }).from(sandboxMedia).where(eq(sandboxMedia.id, id));
  if (!m?.bytes) return null;
  const byType: Record<string, string> = { png: "image/png", gif: "image/gif", bmp: "image/bmp", mp3: "audio/mpeg", amr: "audio/amr", mp4: "video/mp4" };
  const mime = byType[(m.mime ?? "").replace("application/", "")] ?? "image/jpeg";
  return { mime, bytes: m.bytes };
}
