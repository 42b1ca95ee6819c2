import { and, desc, eq, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "@/db/client";
import { sandboxApps, sandboxDeliveries, sandboxFollowers, sandboxJobs, type SandboxSettings } from "@/db/schema";
import { sbEncrypt, sbSignature } from "./crypto";
import { sbDate, sbNow } from "./clock";
import { timeScale } from "./defaults";
import { cnMonthStart, pgTextArray, prng, resetFaultRng } from "./util";

type Job = typeof sandboxJobs.$inferSelect;
type App = typeof sandboxApps.$inferSelect;

const DEFAULT_REVIEW: Record<string, string> = { 违禁词: "err(20001)", "forbidden-word": "err(20001)", 广告词: "err(10001)" };

interface ArticleLike {
  title?: string;
  content?: string;
  content_source_url?: string;
}

const DEFAULT_REPRINT_SOURCES = ["^https?://mp\\.weixin\\.qq\\.com/s"];
const DEFAULT_BLOCKED_SOURCES = ["noreprint"];

const matches = (patterns: string[], url: string) =>
  patterns.some((p) => {
    try {
      return new RegExp(p, "i").test(url);
    } catch {
      return url.includes(p);
    }
  });

/**
 * Review and originality, a configurable imitation (WeChat's 「高级群发接口」 document):
 * - Review: content containing one of `settings.reviewWords` ends as that err(N), no deliveries.
 * - Reprint: an article is a reprint of another account's article when its content_source_url
 *   points at one — a WeChat article URL (`settings.reprintSourcePatterns`, default
 *   `^https?://mp.weixin.qq.com/s`) or the sandbox article page (`/sandbox-api/s/<msg_id>/<idx>`)
 *   of a message sent by ANOTHER sandbox account (the account's own articles are not reprints) —
 *   or when its content carries the marker (`settings.reprintMarker`, default "[reprint]").
 * - A reprint whose source forbids reprinting is CheckState 3: a source URL matching
 *   `settings.blockedReprintSourcePatterns` (default "noreprint"), a sandbox source article that
 *   itself carries the blocked marker, or the blocked marker (default "[reprint-blocked]") in the
 *   content. Any other reprint is CheckState 2.
 * - CheckState 2: send_ignore_reprint = 1 sends (the reprint shown with its source), 0 stops as
 *   err(30003). CheckState 3: err(30002) whatever the flag.
 */
async function review(db: Db, app: App, job: Job): Promise<{ status: string | null; checkState: number; items: Record<string, unknown>[] }> {
  const s: SandboxSettings = app.settings;
  const words = s.reviewWords ?? DEFAULT_REVIEW;
  const articles: ArticleLike[] = (job.body.articles as ArticleLike[]) ?? [];
  const texts = [String(job.body.text ?? ""), ...articles.map((a) => `${a.title ?? ""} ${a.content ?? ""}`)];
  for (const [w, code] of Object.entries(words)) if (texts.some((t) => t.includes(w))) return { status: code, checkState: 1, items: [] };
  if (job.msgtype !== "mpnews") return { status: null, checkState: 1, items: [] };
  const marker = s.reprintMarker ?? "[reprint]";
  const blocked = s.blockedReprintMarker ?? "[reprint-blocked]";
  const sources = s.reprintSourcePatterns ?? DEFAULT_REPRINT_SOURCES;
  const blockedSources = s.blockedReprintSourcePatterns ?? DEFAULT_BLOCKED_SOURCES;
  let checkState = 1;
  const items = [];
  for (const [i, a] of articles.entries()) {
    const url = String(a.content_source_url ?? "");
    let fromOther = url !== "" && matches(sources, url);
    let sourceBlocked = fromOther && matches(blockedSources, url);
    const m = /\/sandbox-api\/s\/(\d+)\/(\d+)/.exec(url);
    if (m) {
      const [src] = await db
        .select({ appid: sandboxJobs.appid, body: sandboxJobs.body })
        .from(sandboxJobs)
        .where(eq(sandboxJobs.msgId, Number(m[1])));
      if (src && src.appid !== app.appid) {
        fromOther = true;
        const srcArticle = ((src.body.articles as ArticleLike[]) ?? [])[Number(m[2]) - 1];
        sourceBlocked = matches(blockedSources, url) || (srcArticle?.content ?? "").includes(blocked);
      }
    }
    const isBlocked = sourceBlocked || (a.content ?? "").includes(blocked);
    const isReprint = isBlocked || fromOther || (a.content ?? "").includes(marker);
    if (isBlocked) checkState = 3;
    else if (isReprint && checkState < 2) checkState = 2;
    items.push({
      ArticleIdx: i + 1,
      UserDeclareState: 0,
      AuditState: isReprint ? 2 : 0,
      OriginalArticleUrl: isReprint ? (fromOther ? url : "https://mp.weixin.qq.com/s/original-article") : "",
      OriginalArticleType: isReprint ? 1 : 0,
      CanReprint: isBlocked ? 0 : 1,
      NeedReplaceContent: isReprint ? 1 : 0,
      NeedShowReprintSource: isReprint ? 1 : 0,
    });
  }
  if (checkState === 3) return { status: "err(30002)", checkState, items };
  if (checkState === 2 && job.sendIgnoreReprint !== 1) return { status: "err(30003)", checkState, items };
  return { status: null, checkState, items };
}

function audienceSql(app: App, job: Job) {
  const t = job.target as { all?: boolean; tagId?: number; openids?: string[] };
  if (t.all) return sql`select openid from sandbox_followers where appid = ${app.appid}`;
  if (t.tagId !== undefined) return sql`select openid from sandbox_tag_members where appid = ${app.appid} and tag_id = ${t.tagId}`;
  return sql`select f.openid from sandbox_followers f where f.appid = ${app.appid} and f.openid = any(${pgTextArray(t.openids ?? [])}::text[])`;
}

function audienceKind(job: Job): "all" | "tag" | "list" {
  const t = job.target as { all?: boolean; tagId?: number };
  return t.all ? "all" : t.tagId !== undefined ? "tag" : "list";
}

/** The month's sent audience-wide jobs, read once per completion (a handful of rows). */
interface MonthJobs {
  /** is_to_all jobs sent this month: each counts for every follower */
  allJobs: number;
  /** the tag of each tag job sent this month (a tag sent twice appears twice) */
  tagIds: number[];
  /** every audience-wide job sent this month, whose exclusions count −1 */
  msgIds: number[];
  /** OpenID-list jobs sent this month: each reached a follower at most once */
  listJobs: number;
}

async function monthJobs(tx: DbOrTx, appid: string, monthStart: Date): Promise<MonthJobs> {
  const rows = (
    (await tx.execute(sql`
      select msg_id, audience_kind, audience_tag_id from sandbox_jobs
      where appid = ${appid} and audience_kind in ('all', 'tag', 'list') and result_status = 'send success'
        and finished_at >= ${monthStart.toISOString()}::timestamptz`)) as unknown as {
      rows: { msg_id: number; audience_kind: string; audience_tag_id: number | null }[];
    }
  ).rows;
  return {
    allJobs: rows.filter((r) => r.audience_kind === "all").length,
    tagIds: rows.filter((r) => r.audience_kind === "tag").map((r) => Number(r.audience_tag_id)),
    msgIds: rows.filter((r) => r.audience_kind !== "list").map((r) => Number(r.msg_id)),
    listJobs: rows.filter((r) => r.audience_kind === "list").length,
  };
}

/**
 * The followers of `aud` who already received 4 mass messages this calendar month (service
 * accounts; WeChat's 高级群发接口 text: "用户每月只能接收4条群发消息,多于4条的群发将对该用户发送
 * 失败", a natural month), as a query. A follower's count this month is
 *   (audience-wide is_to_all jobs sent this month: the same number A for everyone)
 *   + (tag jobs sent this month whose tag they are in)
 *   + (their OpenID-list deliveries)
 *   − (their exclusions from this month's audience-wide jobs),
 * computed from the month's jobs (a handful) instead of a row per delivery. The jobs are read
 * first and named in the statement as constants (one branch per tag job, the exclusions by
 * msg_id), so each branch is a plain index scan the planner can estimate. With A < 4 only the
 * followers with tag, list or exclusion rows can reach 4 (an inner join on that set); with A ≥ 4
 * every follower is at 4 unless their exclusions bring them below (a left join).
 */
function cappedSql(appid: string, aud: ReturnType<typeof sql>, monthStart: Date, m: MonthJobs, smallAudience: boolean) {
  const ms = monthStart.toISOString();
  const parts = [
    ...m.tagIds.map((tagId) => sql`select openid, 1 as w from sandbox_tag_members where appid = ${appid} and tag_id = ${tagId}`),
    sql`select d.openid, 1 as w from sandbox_list_deliveries d where d.appid = ${appid} and d.preview = false and d.at >= ${ms}::timestamptz`,
    ...(m.msgIds.length ? [sql`select x.openid, -1 as w from sandbox_job_exclusions x where x.msg_id = any(${`{${m.msgIds.join(",")}}`}::bigint[])`] : []),
  ];
  const adj = sql`
    select w.openid, sum(w.w)::int as s from (${sql.join(parts, sql` union all `)}) w
    ${smallAudience ? sql`where w.openid in (select openid from (${aud}) s)` : sql``}
    group by w.openid`;
  return m.allJobs < 4
    ? sql`select a.openid from (${aud}) a join (${adj}) c on c.openid = a.openid where ${m.allJobs} + c.s >= 4`
    : sql`select a.openid from (${aud}) a left join (${adj}) c on c.openid = a.openid where ${m.allJobs} + coalesce(c.s, 0) >= 4`;
}

/**
 * Delivers a job set-based, honouring the 4-a-month rule of service accounts. An audience-wide
 * job (is_to_all, tag) writes no row per recipient: its recipients are its audience minus the
 * followers it had to filter (sandbox_job_exclusions, usually none), as the sandbox_deliveries
 * view shows. An OpenID-list send writes one sandbox_list_deliveries row per recipient, by one
 * INSERT … SELECT. Either way only counts come back to JavaScript.
 */
async function complete(db: Db, app: App, job: Job) {
  const r = await review(db, app, job);
  const t = job.target as { openids?: string[] };
  const kind = audienceKind(job);
  const listed = t.openids ? t.openids.length : null;
  const aud = audienceSql(app, job);
  const at = sbDate();
  const articles = (job.body.articles as unknown[]) ?? [];
  const origin = String(job.body.origin ?? "");
  await db.transaction(async (tx) => {
    // The job row locked first: a requeued job completed by a second runner while the first is
    // still at it waits here, then finds the job finished and delivers nothing again.
    const [{ status } = { status: "" }] = (
      (await tx.execute(sql`select status from sandbox_jobs where msg_id = ${job.msgId} for update`)) as unknown as { rows: { status: string }[] }
    ).rows;
    if (status !== "RUNNING" && status !== "SENDING") return;
    const audience =
      kind !== "list" && job.totalCount !== null
        ? job.totalCount
        : kind === "all"
          ? ((await tx.$count(sandboxFollowers, eq(sandboxFollowers.appid, app.appid))) as number)
          : Number(((await tx.execute(sql`select count(*)::int as n from (${aud}) a`)) as unknown as { rows: { n: number }[] }).rows[0].n);
    const total = listed ?? audience;
    let filter = 0;
    let sent = 0;
    if (!r.status) {
      let capped: ReturnType<typeof sql> | null = null;
      if (app.type === "service") {
        const monthStart = cnMonthStart(at);
        const m = await monthJobs(tx, app.appid, monthStart);
        // No follower can have 4 yet when the month's sends could not have reached anyone 4 times
        // (every is_to_all, tag and list job counted for everyone): nothing to compute. The month's
        // first three is_to_all jobs after a tag send are such jobs.
        if (m.allJobs + m.tagIds.length + m.listJobs >= 4) {
          // An OpenID list (≤ 10 000) narrows the month's rows to its own followers first; its
          // statement below names its audience `aud` (a CTE).
          capped = kind === "list" ? cappedSql(app.appid, sql`select openid from aud`, monthStart, m, true) : cappedSql(app.appid, aud, monthStart, m, false);
        }
      }
      if (kind === "list") {
        // The capped followers as a CTE and an anti-join (NOT EXISTS), never NOT IN (subquery):
        // a NOT IN the planner does not hash re-runs the subquery for every listed follower.
        const ins = (await tx.execute(sql`
          with aud as (${aud}),
          capped as (${capped ?? sql`select null::text as openid where false`}),
          ins as (
            insert into sandbox_list_deliveries (msg_id, appid, openid, preview, at)
            select ${job.msgId}, ${app.appid}, a.openid, false, ${at.toISOString()}::timestamptz from aud a
            where not exists (select 1 from capped c where c.openid = a.openid)
            on conflict do nothing
            returning 1)
          select count(*)::int as n from ins`)) as unknown as { rows: { n: number }[] };
        sent = Number(ins.rows[0].n);
      } else {
        let excluded = 0;
        if (capped) {
          // The month's worst job is its 4th is_to_all after a tag send that reached half the
          // followers: half a million exclusions. Hash joins, never a nested loop: the month's
          // counts are an aggregate the planner cannot estimate (it guesses tens of rows, then
          // joins the audience back with one index lookup per capped follower). The rows go in
          // sorted, so the primary key (msg_id, openid) of this new msg_id is appended to, not
          // updated at random places. No ON CONFLICT (it probes the key once more per row): the
          // rows are distinct (one per audience member), and only this transaction, holding the
          // job's row lock, writes this msg_id's exclusions. The count is the driver's row count
          // (no RETURNING of half a million rows).
          await tx.execute(sql`set local enable_nestloop = off`);
          await tx.execute(sql`set local work_mem = '32MB'`);
          const x = (await tx.execute(sql`
            insert into sandbox_job_exclusions (msg_id, openid) select ${job.msgId}, c.openid from (${capped}) c order by c.openid`)) as unknown as {
            affectedRows?: number;
            rowCount?: number | null;
          };
          // node-postgres says rowCount, PGlite affectedRows.
          excluded = Number(x.rowCount ?? x.affectedRows);
          if (!Number.isFinite(excluded)) throw new Error("sandbox: the driver gave no row count for the exclusions");
          await tx.execute(sql`reset enable_nestloop`);
          await tx.execute(sql`reset work_mem`);
        }
        sent = audience - excluded;
      }
      // Listed OpenIDs that do not follow are prepared but fail: FilterCount = SentCount + ErrorCount.
      const notFollowing = listed !== null ? listed - audience : 0;
      filter = sent + notFollowing;
    }
    await tx
      .update(sandboxJobs)
      .set({
        status: r.status ? "SEND_FAIL" : "SEND_SUCCESS",
        resultStatus: r.status ?? "send success",
        audienceKind: kind,
        audienceTagId: kind === "tag" ? Number((job.target as { tagId: number }).tagId) : null,
        totalCount: total,
        filterCount: filter,
        sentCount: sent,
        errorCount: filter - sent,
        finishedAt: at,
        // The result push is due at once; attempts are made by startDuePushes.
        callbackState: app.callbackUrl ? "pending" : null,
        callbackDueAt: app.callbackUrl ? at : null,
        body: {
          ...job.body,
          checkState: r.checkState,
          copyright: r.items,
          articleUrls: articles.map((_, i) => `${origin}/sandbox-api/s/${job.msgId}/${i + 1}`),
        },
      })
      .where(eq(sandboxJobs.msgId, job.msgId));
  });
}

export function massJobFinishXml(app: App, j: Job): string {
  const items = (j.body.copyright as Record<string, unknown>[]) ?? [];
  const urls = (j.body.articleUrls as string[]) ?? [];
  const cdata = (v: unknown) => `<![CDATA[${String(v)}]]>`;
  const copyright =
    j.msgtype === "mpnews"
      ? `<CopyrightCheckResult><Count>${items.length}</Count><ResultList>${items
          .map(
            (i) =>
              `<item>${Object.entries(i)
                .map(([k, v]) => (k === "OriginalArticleUrl" ? `<${k}>${cdata(v)}</${k}>` : `<${k}>${v}</${k}>`))
                .join("")}</item>`,
          )
          .join("")}</ResultList><CheckState>${j.body.checkState ?? 1}</CheckState></CopyrightCheckResult>` +
        `<ArticleUrlResult><Count>${urls.length}</Count><ResultList>` +
        urls.map((u, i) => `<item><ArticleIdx>${i + 1}</ArticleIdx><ArticleUrl>${cdata(u)}</ArticleUrl></item>`).join("") +
        `</ResultList></ArticleUrlResult>`
      : "";
  return (
    `<xml><ToUserName>${cdata(app.ghId)}</ToUserName><FromUserName>${cdata("mphelper")}</FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata("event")}</MsgType><Event>${cdata("MASSSENDJOBFINISH")}</Event>` +
    `<MsgID>${j.msgId}</MsgID><Status>${cdata(j.resultStatus)}</Status><TotalCount>${j.totalCount}</TotalCount><FilterCount>${j.filterCount}</FilterCount>` +
    `<SentCount>${j.sentCount}</SentCount><ErrorCount>${j.errorCount}</ErrorCount>${copyright}</xml>`
  );
}

/** Signs (and in safe/compatible mode encrypts) a push the way WeChat does. */
export function signedPush(app: App, xml: string): { query: string; body: string } {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomBytes(4).readUInt32BE());
  const signature = sbSignature(app.callbackToken, timestamp, nonce);
  if (app.messageMode === "plaintext") return { query: `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, body: xml };
  const encrypt = sbEncrypt(xml, app.aesKey, app.appid);
  const msgSig = sbSignature(app.callbackToken, timestamp, nonce, encrypt);
  const envelope =
    app.messageMode === "safe"
      ? `<xml><ToUserName><![CDATA[${app.ghId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
      : xml.replace(/<\/xml>$/, `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`);
  return { query: `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=mphelper&encrypt_type=aes&msg_signature=${msgSig}`, body: envelope };
}

/**
 * Like WeChat, a MASSSENDJOBFINISH push waits up to 5 s for an answer and is retried 3 times. The
 * attempts are scheduled by a due time on the job (callback_due_at), not by a loop that sleeps, so
 * a callback URL that hangs or fails holds up no other job: each attempt runs on its own, and a
 * failed one sets the next due time. Spacing between attempts: 1 s, 2 s, 4 s, times
 * SANDBOX_TIME_SCALE (sandbox time, like job durations). A claimed attempt moves the due time 15 s
 * ahead as a lease, so an attempt lost with its process is made again.
 */
const PUSH_TIMEOUT_MS = 5_000;
export const PUSH_RETRY_SPACING_MS = [1_000, 2_000, 4_000];
const PUSH_LEASE_MS = 15_000;
const MAX_PUSH_ATTEMPTS = 1 + PUSH_RETRY_SPACING_MS.length;

async function pushOnce(db: Db, msgId: number, fetchImpl: typeof fetch) {
  const [job] = await db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, msgId));
  const [app] = await db.select().from(sandboxApps).where(eq(sandboxApps.appid, job.appid));
  const attempt = job.callbackAttempts; // already counted by the claim
  let entry: { at: string; ok: boolean; status?: number; error?: string };
  const failRate = app.settings.faults?.callbackFailRate ?? 0;
  if (!app.callbackUrl) {
    entry = { at: sbDate().toISOString(), ok: false, error: "no callback URL" };
  } else if (failRate && prng((app.settings.faults?.seed ?? 7) + msgId * 31 + attempt)() < failRate) {
    entry = { at: sbDate().toISOString(), ok: false, error: "injected failure" };
  } else {
    try {
      const { query, body } = signedPush(app, massJobFinishXml(app, job));
      const sep = app.callbackUrl.includes("?") ? "&" : "?";
      const res = await fetchImpl(app.callbackUrl + sep + query, {
        method: "POST",
        body,
        headers: { "content-type": "text/xml" },
        signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
      });
      const text = await res.text();
      const ok = res.ok && (text === "" || text === "success" || text.startsWith("<xml"));
      entry = { at: sbDate().toISOString(), ok, status: res.status };
    } catch (e) {
      entry = { at: sbDate().toISOString(), ok: false, error: (e as Error).message };
    }
  }
  const next = entry.ok || attempt >= MAX_PUSH_ATTEMPTS || !app.callbackUrl ? null : new Date(sbNow() + PUSH_RETRY_SPACING_MS[attempt - 1] * timeScale());
  await db.execute(sql`
    update sandbox_jobs set
      callback_log = callback_log || ${JSON.stringify([entry])}::jsonb,
      callback_state = ${entry.ok ? "delivered" : next ? "pending" : "failed"},
      callback_due_at = ${next ? next.toISOString() : null}::timestamptz
    where msg_id = ${msgId}`);
}

/**
 * Claims the push attempts that are due (all of them, or one job's) and starts them; returns the
 * attempts in flight.
 */
async function startDuePushes(db: Db, fetchImpl: typeof fetch, onlyMsgId?: number): Promise<Promise<void>[]> {
  const now = sbNow();
  const claimed = (await db.execute(sql`
    update sandbox_jobs set callback_attempts = callback_attempts + 1, callback_due_at = ${new Date(now + PUSH_LEASE_MS).toISOString()}::timestamptz
    where msg_id in (
      select msg_id from sandbox_jobs where callback_state = 'pending' and callback_due_at <= ${new Date(now).toISOString()}::timestamptz
      ${onlyMsgId !== undefined ? sql`and msg_id = ${onlyMsgId}` : sql``}
      order by callback_due_at limit 100 for update skip locked)
    returning msg_id`)) as unknown as { rows: { msg_id: number }[] };
  return claimed.rows.map((r) =>
    pushOnce(db, Number(r.msg_id), fetchImpl).catch((e) => {
      console.error("[qunfa] sandbox push:", (e as Error).message);
    }),
  );
}

/**
 * Completes every due job, then starts every due push attempt; returns how many jobs completed.
 * Safe with several runners (SKIP LOCKED claims). `awaitPushes` (default true, for tests and the
 * bench) waits for the attempts started by this call; the background runner does not wait.
 */
export async function runDueSandboxJobs(db: Db, opts: { fetch?: typeof fetch; awaitPushes?: boolean } = {}): Promise<number> {
  let n = 0;
  for (;;) {
    const claimed = (await db.execute(sql`
      update sandbox_jobs set status = 'RUNNING', due_at = ${new Date(sbNow() + JOB_LEASE_MS).toISOString()}::timestamptz where msg_id = (
        select msg_id from sandbox_jobs where status = 'SENDING' and due_at <= ${sbDate().toISOString()}::timestamptz
        order by due_at limit 1 for update skip locked)
      returning msg_id`)) as unknown as { rows: { msg_id: number }[] };
    const id = claimed.rows[0]?.msg_id;
    if (id === undefined) break;
    const [job] = await db
      .select()
      .from(sandboxJobs)
      .where(eq(sandboxJobs.msgId, Number(id)));
    const [app] = await db.select().from(sandboxApps).where(eq(sandboxApps.appid, job.appid));
    await complete(db, app, job);
    n++;
    // Its first push goes out as soon as the job is done, as WeChat's does (in the background
    // runner without waiting for the answer, so a slow callback URL holds up no other job).
    const first = await startDuePushes(db, opts.fetch ?? fetch, job.msgId);
    if (opts.awaitPushes !== false) await Promise.all(first);
  }
  // Retries that have come due.
  const pushes = await startDuePushes(db, opts.fetch ?? fetch);
  if (opts.awaitPushes !== false) await Promise.all(pushes);
  return n;
}

/**
 * A claimed (RUNNING) job carries a lease in due_at: the runner that claimed it completes it
 * well within this time, so one still RUNNING after it lost its runner (crash, SIGKILL) or hit a
 * database error mid-completion; it is requeued by recoverSandboxJobs. A job completed twice
 * cannot deliver twice: complete() locks the job row and does nothing once the job is finished.
 */
export const JOB_LEASE_MS = 60_000;
/** How often (real time) the background runner looks for jobs whose lease ran out. */
const RECOVERY_EVERY_MS = 10_000;

/**
 * Puts interrupted jobs back in the queue: those whose lease ran out, or (`all`, at start, when
 * this process holds no claim) every RUNNING job. Returns how many.
 */
export async function recoverSandboxJobs(db: Db, opts: { all?: boolean } = {}): Promise<number> {
  const r = (await db.execute(sql`
    update sandbox_jobs set status = 'SENDING', due_at = ${sbDate().toISOString()}::timestamptz
    where status = 'RUNNING' ${opts.all ? sql`` : sql`and due_at <= ${sbDate().toISOString()}::timestamptz`}
    returning msg_id`)) as unknown as { rows: unknown[] };
  return r.rows.length;
}

/** The sandbox's background loop (started with the console). */
export function startSandboxRunner(db: Db, intervalMs = 150, opts: { recoveryEveryMs?: number } = {}): () => void {
  const recoveryEveryMs = opts.recoveryEveryMs ?? RECOVERY_EVERY_MS;
  let busy = true;
  let stopped = false;
  let lastRecovery = Date.now();
  // Jobs left RUNNING by a process that died go back to the queue before the first round (at
  // start every claim is stale: this process holds none yet). Awaited: a drizzle query runs only
  // when awaited, so a `void db.execute(…)` never ran at all.
  const started = recoverSandboxJobs(db, { all: true })
    .then((n) => n && console.warn(`[qunfa] sandbox runner: resumed ${n} interrupted job(s)`))
    .catch((e) => console.error("[qunfa] sandbox runner recovery:", (e as Error).message))
    .finally(() => {
      busy = false;
    });
  void started;
  const timer = setInterval(async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      // While running, a job whose claim outlived its lease (its runner died, or its completion
      // failed on a database error) is requeued, checked every `recoveryEveryMs`.
      if (Date.now() - lastRecovery >= recoveryEveryMs) {
        lastRecovery = Date.now();
        const n = await recoverSandboxJobs(db);
        if (n) console.warn(`[qunfa] sandbox runner: resumed ${n} interrupted job(s)`);
      }
      await runDueSandboxJobs(db, { awaitPushes: false });
    } catch (e) {
      console.error("[qunfa] sandbox runner:", (e as Error).message);
    } finally {
      busy = false;
    }
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

export async function setSandboxCallback(db: Db, appid: string, o: { url: string; mode?: "plaintext" | "compatible" | "safe" }) {
  await db
    .update(sandboxApps)
    .set({ callbackUrl: o.url, ...(o.mode ? { messageMode: o.mode } : {}) })
    .where(eq(sandboxApps.appid, appid));
}

export async function setSandboxSettings(db: Db, appid: string, settings: SandboxSettings & Record<string, unknown>) {
  await db.update(sandboxApps).set({ settings }).where(eq(sandboxApps.appid, appid));
  resetFaultRng(appid);
}

export async function listSandboxApps(db: Db) {
  return db
    .select({
      appid: sandboxApps.appid,
      name: sandboxApps.name,
      type: sandboxApps.type,
      messageMode: sandboxApps.messageMode,
      settings: sandboxApps.settings,
      callbackUrl: sandboxApps.callbackUrl,
    })
    .from(sandboxApps)
    .orderBy(sandboxApps.appid);
}

export async function listSandboxJobs(db: Db, appid: string, limit = 50) {
  return db
    .select()
    .from(sandboxJobs)
    .where(and(eq(sandboxJobs.appid, appid)))
    .orderBy(desc(sandboxJobs.msgId))
    .limit(limit);
}

/** A follower's inbox, by OpenID or WeChat ID: what they received, newest first, previews marked. */
export async function sandboxInbox(db: Db, appid: string, who: string, limit = 50) {
  const [f] = await db
    .select()
    .from(sandboxFollowers)
    .where(and(eq(sandboxFollowers.appid, appid), sql`(${sandboxFollowers.openid} = ${who} or ${sandboxFollowers.wechatId} = ${who})`));
  if (!f) return null;
  const rows = await db
    .select({
      msgId: sandboxJobs.msgId,
      msgtype: sandboxJobs.msgtype,
      body: sandboxJobs.body,
      preview: sandboxDeliveries.preview,
      at: sandboxDeliveries.at,
      status: sandboxJobs.status,
    })
    .from(sandboxDeliveries)
    .innerJoin(sandboxJobs, eq(sandboxJobs.msgId, sandboxDeliveries.msgId))
    .where(and(eq(sandboxDeliveries.appid, appid), eq(sandboxDeliveries.openid, f.openid)))
    .orderBy(desc(sandboxDeliveries.at))
    .limit(limit);
  return { follower: f, messages: rows };
}

/**
 * Which followers received message `msgId` (every kind of send; previews included for a preview's
 * msg_id). Reads the sandbox_deliveries view, so an audience-wide job answers without per-row storage.
 */
export async function sandboxRecipients(db: DbOrTx, msgId: number): Promise<string[]> {
  const r = (await db.execute(sql`select openid from sandbox_deliveries where msg_id = ${msgId} order by openid`)) as unknown as { rows: { openid: string }[] };
  return r.rows.map((x) => x.openid);
}

/**
 * How many mass messages follower `openid` received (previews not counted): optionally since a
 * moment (the 4-a-month rule counts from the calendar month's start) or among given msg_ids (e.g.
 * a campaign's batches).
 */
export async function sandboxReceivedCount(db: DbOrTx, appid: string, openid: string, opts: { since?: Date; msgIds?: number[] } = {}): Promise<number> {
  const r = (await db.execute(sql`
    select count(*)::int as n from sandbox_deliveries
    where appid = ${appid} and openid = ${openid} and preview = false
      ${opts.since ? sql`and at >= ${opts.since.toISOString()}::timestamptz` : sql``}
      ${opts.msgIds ? sql`and msg_id = any(${`{${opts.msgIds.map(Number).join(",")}}`}::bigint[])` : sql``}`)) as unknown as { rows: { n: number }[] };
  return Number(r.rows[0].n);
}

export async function sandboxTesters(db: Db, appid: string) {
  return db
    .select({ openid: sandboxFollowers.openid, wechatId: sandboxFollowers.wechatId, nickname: sandboxFollowers.nickname })
    .from(sandboxFollowers)
    .where(and(eq(sandboxFollowers.appid, appid), sql`${sandboxFollowers.wechatId} is not null`));
}
