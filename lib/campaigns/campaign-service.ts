import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/db/client";
import { campaignApprovals, campaignBatches, campaigns, user, wechatAccounts, type CampaignMessage, type CampaignState } from "@/db/schema";
import type { NewsDeps } from "@/lib/news/news-service";

// The news service is loaded the first time a news message is resolved or uploaded, not when the
// job workers (which import this module) start. That once kept jsdom (DOMPurify's server DOM,
// ~105 MB) out of idle servers; the sanitizer is now sanitize-html (~5–8 MB, lib/news/html.ts),
// so the lazy import only spares a worker that never sends news the news service's modules.
const newsService = () => import("@/lib/news/news-service");
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { clientMsgId } from "./client-msg-id";
import { audienceColumns, AudienceRefused, audienceRequests } from "@/lib/audiences/audience";
import { EDITABLE_STATES, nextState, setCampaignState, TransitionError } from "./state-machine";
import { BACK_TO_DRAFT, campaignFingerprint, isWhatWasCleared, refuseChanged } from "./fingerprint";
import type { CampaignFormValues } from "./schemas";

/** Where the services hand work to the job system (lib/jobs/campaign-jobs.ts). */
export interface CampaignJobs {
  drain(campaignId: string, startAfter?: Date): Promise<void>;
  startAt(campaignId: string, at: Date): Promise<void>;
}

export type CampaignErrorCode =
  | "notFound"
  | "notEditable"
  | "confirmName"
  | "listNotReady"
  | "listTooSmall"
  | "sendByListNeedsService"
  | "selfApproval"
  | "noPendingApproval"
  | "scheduleInPast"
  | "transition"
  | "noMedia"
  | "changedSinceViewed"
  | "changedAfterClearance";

export class CampaignError extends Error {
  constructor(
    readonly code: CampaignErrorCode,
    readonly detail: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

export function newCampaignId() {
  return "c" + randomBytes(8).toString("hex");
}

export interface ResolvedMessage {
  message: CampaignMessage;
  /** article titles or the start of a text, for search and the history list */
  searchText: string;
}

/**
 * The form's message as the campaign stores it. A news message records the draft, the version and
 * its article titles (searchText: history search by title; the history list shows the first); its
 * media_id is found or uploaded at preview and send time (ensureNewsMedia), as uploads last 3 days.
 */
export async function resolveFormMessage(db: Db, accountId: string, v: CampaignFormValues["message"]): Promise<ResolvedMessage> {
  switch (v.type) {
    case "mpnews": {
      const d = await (await newsService()).describeNewsVersion(db, accountId, v.newsDraftId, v.newsVersion);
      return {
        message: { type: "mpnews", mediaId: null, newsDraftId: v.newsDraftId, newsVersion: v.newsVersion, titles: d.titles },
        searchText: d.titles.join(" · "),
      };
    }
    case "text":
      return { message: { type: "text", content: v.content }, searchText: v.content.slice(0, 200) };
    case "mpvideo":
      return { message: { type: "mpvideo", mediaId: v.mediaId, title: v.title, description: v.description }, searchText: v.title ?? "" };
    case "wxcard":
      return { message: { type: "wxcard", cardId: v.cardId }, searchText: v.cardId };
    default:
      return { message: { type: v.type, mediaId: v.mediaId }, searchText: "" };
  }
}

async function accountOf(tx: Db | Tx, accountId: string) {
  const [a] = await tx
    .select({ id: wechatAccounts.id, name: wechatAccounts.name, type: wechatAccounts.type, requiresApproval: wechatAccounts.requiresApproval })
    .from(wechatAccounts)
    .where(eq(wechatAccounts.id, accountId));
  if (!a) throw new CampaignError("notFound");
  return a;
}

async function lockCampaign(tx: Tx, accountId: string, id: string) {
  const [c] = await tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, id), eq(campaigns.accountId, accountId)))
    .for("update");
  if (!c) throw new CampaignError("notFound");
  return c;
}

function transition(from: CampaignState, action: Parameters<typeof nextState>[1], target?: "sending" | "scheduled") {
  try {
    return nextState(from, action, target);
  } catch (e) {
    if (e instanceof TransitionError) throw new CampaignError("transition", { from, action });
    throw e;
  }
}

/** The audience's columns, its refusals reported as this service's errors. */
async function audienceOf<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof AudienceRefused) throw new CampaignError(e.code, e.detail);
    throw e;
  }
}

/** Creates a draft, or updates one that has not started; a changed message gets a new version. */
export async function saveCampaign(db: Db, actor: Actor, accountId: string, id: string | null, v: CampaignFormValues, resolved: ResolvedMessage) {
  return db.transaction(async (tx) => {
    const account = await accountOf(tx, accountId);
    const aud = await audienceOf(() => audienceColumns(tx, account, v.audience));
    const cols = {
      name: v.name,
      messageType: resolved.message.type,
      message: resolved.message,
      searchText: resolved.searchText.slice(0, 2000),
      sendIgnoreReprint: v.sendIgnoreReprint,
      ...aud,
      updatedAt: new Date(),
    };
    if (!id) {
      const newId = newCampaignId();
      await tx.insert(campaigns).values({ id: newId, accountId, state: "draft", createdBy: actor.id, ...cols });
      await writeAudit(tx, {
        actor,
        accountId,
        action: "campaign.create",
        entityType: "campaign",
        entityId: newId,
        summary: { name: v.name, type: cols.messageType, audience: aud.audienceKind },
      });
      return newId;
    }
    // The row lock orders this edit against an approval, a schedule or a start of the same campaign.
    const before = await lockCampaign(tx, accountId, id);
    if (!EDITABLE_STATES.includes(before.state)) throw new CampaignError("notEditable", { state: before.state });
    const changed = JSON.stringify(before.message) !== JSON.stringify(resolved.message);
    // What was approved or scheduled is what is sent: a change to what reaches whom withdraws it,
    // whoever makes it, in this transaction. Only the name may change and keep the schedule.
    const reaches = campaignFingerprint(before) !== campaignFingerprint({ ...before, ...cols });
    const withdraw = before.state !== "draft" && reaches;
    const to = withdraw ? transition(before.state, "edit") : before.state;
    const set = { ...cols, messageVersion: changed ? before.messageVersion + 1 : before.messageVersion };
    if (withdraw) await setCampaignState(tx, before, to, { ...set, approvedFingerprint: null, approvedBy: null, scheduledAt: null, lastError: BACK_TO_DRAFT });
    else await tx.update(campaigns).set(set).where(eq(campaigns.id, id));
    await writeAudit(tx, {
      actor,
      accountId,
      action: "campaign.update",
      entityType: "campaign",
      entityId: id,
      summary: {
        before: { name: before.name, audience: before.audienceKind, version: before.messageVersion },
        after: { name: v.name, audience: aud.audienceKind, messageChanged: changed },
      },
    });
    if (withdraw)
      await writeAudit(tx, {
        actor,
        accountId,
        action: "campaign.back-to-draft",
        entityType: "campaign",
        entityId: id,
        summary: {
          from: before.state,
          to,
          approvedBy: before.approvedBy,
          scheduledAt: before.scheduledAt?.toISOString() ?? null,
          cleared: before.approvedFingerprint,
          now: campaignFingerprint({ ...before, ...cols }),
        },
      });
    return id;
  });
}

type NewsMessage = Extract<CampaignMessage, { type: "mpnews" }>;

/**
 * Before a news campaign starts: the chosen draft version's media_id, uploaded now with
 * media/uploadnews when it has none (or when the one it had is about to expire), goes into the
 * campaign's message, which the pipeline sends. Runs outside the sending transaction: WeChat is
 * called here. A message with a media_id and no draft (made outside the picker) is left as it is.
 */
async function prepareNews(db: Db, actor: Actor, accountId: string, campaignId: string, deps: NewsDeps) {
  const c = await getCampaign(db, accountId, campaignId);
  if (!c || c.messageType !== "mpnews") return;
  const m = c.message as NewsMessage;
  if (!m.newsDraftId || !m.newsVersion) return;
  const got = await (await newsService()).ensureNewsMedia(db, actor, accountId, m.newsDraftId, m.newsVersion, deps);
  const message: NewsMessage = { ...m, mediaId: got.mediaId, newsVersion: got.version, titles: got.titles };
  await db
    .update(campaigns)
    .set({ message, searchText: got.titles.join(" · ").slice(0, 2000) })
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.state, c.state)));
}

/** Writes every batch row, each with its clientmsgid, before anything is sent. */
async function createBatches(tx: Tx, c: typeof campaigns.$inferSelect) {
  await tx.delete(campaignBatches).where(and(eq(campaignBatches.campaignId, c.id), eq(campaignBatches.state, "pending")));
  const requests = await audienceOf(() => audienceRequests(tx, c));
  if (requests.kind === "send") {
    const rows = requests.ranges.map((r, i) => ({
      campaignId: c.id,
      accountId: c.accountId,
      seq: i + 1,
      kind: "send" as const,
      listFrom: r.from,
      recipientCount: r.count,
      clientMsgId: clientMsgId(c.id, c.messageVersion, i + 1),
    }));
    for (let i = 0; i < rows.length; i += 500) await tx.insert(campaignBatches).values(rows.slice(i, i + 500));
    return rows.length;
  }
  await tx.insert(campaignBatches).values({
    campaignId: c.id,
    accountId: c.accountId,
    seq: 1,
    kind: "sendall",
    recipientCount: c.audienceSize,
    clientMsgId: clientMsgId(c.id, c.messageVersion, 1),
  });
  return 1;
}

/**
 * Writes the batches and starts sending. `c` is the row as locked by the caller: "send now" and an
 * approval clear it as it is (its fingerprint is stored for the pipeline and resume to check); a
 * scheduled start was checked against the stored one by startScheduled.
 */
async function beginSending(tx: Tx, actor: Actor | null, c: typeof campaigns.$inferSelect, from: CampaignState, action: "sendNow" | "start" | "approve") {
  if (c.messageType === "mpnews" && !(c.message as { mediaId?: string | null }).mediaId) throw new CampaignError("noMedia");
  const to = transition(from, action, "sending");
  const n = await createBatches(tx, c);
  await setCampaignState(tx, { id: c.id, state: from }, to, {
    startedAt: new Date(),
    sentBy: actor?.id ?? c.sentBy,
    updatedAt: new Date(),
    pausedReason: null,
    approvedFingerprint: action === "start" ? c.approvedFingerprint : campaignFingerprint(c),
    ...(action === "start" ? {} : { lastError: null }),
  });
  await writeAudit(tx, {
    actor,
    accountId: c.accountId,
    action: "campaign.send",
    entityType: "campaign",
    entityId: c.id,
    summary: { batches: n, version: c.messageVersion },
  });
}

/** The person acted on the page showing `seen`: refuse when the campaign has changed since. */
function assertSeen(c: typeof campaigns.$inferSelect, seen: string | undefined) {
  if (seen !== undefined && seen !== campaignFingerprint(c)) throw new CampaignError("changedSinceViewed");
}

/**
 * "Send now" or "schedule": with approval required by the account this only asks for it;
 * otherwise sending starts (batches written, the drain job queued) or the start is scheduled.
 * `seen` is the fingerprint of the campaign as the publisher's page showed it.
 */
export async function requestSend(
  db: Db,
  jobs: CampaignJobs,
  actor: Actor,
  accountId: string,
  campaignId: string,
  scheduledAt: Date | null,
  news: NewsDeps = {},
  seen?: string,
) {
  if (scheduledAt && scheduledAt.getTime() < Date.now() - 60_000) throw new CampaignError("scheduleInPast");
  if (!scheduledAt && !(await accountOf(db, accountId)).requiresApproval) await prepareNews(db, actor, accountId, campaignId, news);
  const result = await db.transaction(async (tx) => {
    const account = await accountOf(tx, accountId);
    const c = await lockCampaign(tx, accountId, campaignId);
    assertSeen(c, seen);
    if (account.requiresApproval) {
      const to = transition(c.state, "requestApproval");
      await setCampaignState(tx, c, to, { approvalRequestedBy: actor.id, scheduledAt, lastError: null, updatedAt: new Date() });
      await tx.insert(campaignApprovals).values({ campaignId: c.id, requestedBy: actor.id, scheduledAt });
      await writeAudit(tx, {
        actor,
        accountId,
        action: "campaign.request-approval",
        entityType: "campaign",
        entityId: c.id,
        summary: { scheduledAt: scheduledAt?.toISOString() ?? null },
      });
      return { state: to, enqueue: null as null | { at?: Date; kind: "drain" | "start" } };
    }
    if (scheduledAt) {
      const to = transition(c.state, "schedule");
      // A publisher's schedule clears the campaign as it is now: the start sends this or nothing.
      const fingerprint = campaignFingerprint(c);
      await setCampaignState(tx, c, to, { scheduledAt, approvedFingerprint: fingerprint, lastError: null, updatedAt: new Date() });
      await writeAudit(tx, {
        actor,
        accountId,
        action: "campaign.schedule",
        entityType: "campaign",
        entityId: c.id,
        summary: { scheduledAt: scheduledAt.toISOString(), fingerprint },
      });
      return { state: to, enqueue: { kind: "start" as const, at: scheduledAt } };
    }
    await beginSending(tx, actor, c, c.state, "sendNow");
    return { state: "sending" as CampaignState, enqueue: { kind: "drain" as const } };
  });
  if (result.enqueue?.kind === "drain") await jobs.drain(campaignId);
  if (result.enqueue?.kind === "start") await jobs.startAt(campaignId, result.enqueue.at!);
  return result.state;
}

/**
 * Another publisher or admin approves or rejects; the requester cannot approve their own. An
 * approval clears the campaign exactly as it is (its fingerprint is stored); with `seen`, the
 * fingerprint of what the approver's page showed, a campaign changed since is refused.
 */
export async function decideApproval(
  db: Db,
  jobs: CampaignJobs,
  actor: Actor,
  accountId: string,
  campaignId: string,
  approve: boolean,
  comment: string,
  news: NewsDeps = {},
  seen?: string,
) {
  // Uploaded before approving, so a news version WeChat refuses leaves the request pending.
  if (approve) await prepareNews(db, actor, accountId, campaignId, news);
  const result = await db.transaction(async (tx) => {
    const c = await lockCampaign(tx, accountId, campaignId);
    const [req] = await tx
      .select()
      .from(campaignApprovals)
      .where(and(eq(campaignApprovals.campaignId, campaignId), sql`${campaignApprovals.decision} is null`))
      .orderBy(desc(campaignApprovals.id))
      .limit(1);
    if (c.state !== "awaiting_approval" || !req) throw new CampaignError("noPendingApproval");
    if (req.requestedBy === actor.id) throw new CampaignError("selfApproval");
    if (approve) assertSeen(c, seen);
    await tx
      .update(campaignApprovals)
      .set({ decidedBy: actor.id, decision: approve ? "approved" : "rejected", comment, decidedAt: new Date() })
      .where(eq(campaignApprovals.id, req.id));
    if (!approve) {
      const to = transition(c.state, "reject");
      await setCampaignState(tx, c, to, { updatedAt: new Date() });
      await writeAudit(tx, { actor, accountId, action: "campaign.reject", entityType: "campaign", entityId: c.id, summary: { comment } });
      return null;
    }
    const scheduled = req.scheduledAt && req.scheduledAt.getTime() > Date.now() ? req.scheduledAt : null;
    const fingerprint = campaignFingerprint(c);
    await tx.update(campaigns).set({ approvedBy: actor.id, approvedFingerprint: fingerprint, lastError: null }).where(eq(campaigns.id, c.id));
    await writeAudit(tx, {
      actor,
      accountId,
      action: "campaign.approve",
      entityType: "campaign",
      entityId: c.id,
      summary: { comment, scheduledAt: scheduled?.toISOString() ?? null, fingerprint },
    });
    if (scheduled) {
      const to = transition(c.state, "approve", "scheduled");
      await setCampaignState(tx, c, to, { scheduledAt: scheduled, updatedAt: new Date() });
      return { kind: "start" as const, at: scheduled };
    }
    await beginSending(tx, actor, c, c.state, "approve");
    // The send is the requester's; the approval is recorded beside it.
    await tx.update(campaigns).set({ sentBy: req.requestedBy }).where(eq(campaigns.id, c.id));
    return { kind: "drain" as const };
  });
  if (result?.kind === "drain") await jobs.drain(campaignId);
  if (result?.kind === "start") await jobs.startAt(campaignId, result.at);
}

/** Called by the scheduled job at its time (also after a restart that spanned it). */
export async function startScheduled(db: Db, jobs: CampaignJobs, campaignId: string, news: NewsDeps = {}): Promise<boolean> {
  const [due] = await db
    .select({ accountId: campaigns.accountId, state: campaigns.state, scheduledAt: campaigns.scheduledAt, by: user.id, email: user.email })
    .from(campaigns)
    .leftJoin(user, sql`${user.id} = coalesce(${campaigns.approvalRequestedBy}, ${campaigns.createdBy})`)
    .where(eq(campaigns.id, campaignId));
  if (due?.state === "scheduled" && (!due.scheduledAt || due.scheduledAt.getTime() <= Date.now() + 1000)) {
    // The upload is the scheduler's act, recorded as theirs (no one, if their user was deleted).
    const actor = { id: due.by, email: due.email } as Actor;
    try {
      await prepareNews(db, actor, due.accountId, campaignId, news);
    } catch (e) {
      // Nobody is there to read it: the campaign goes back to draft with the reason, audited.
      const reason = e instanceof Error ? e.message : String(e);
      await db.transaction(async (tx) => {
        const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
        if (!c || c.state !== "scheduled") return;
        await setCampaignState(tx, c, transition(c.state, "unschedule"), { approvedFingerprint: null, lastError: reason.slice(0, 500), updatedAt: new Date() });
        await writeAudit(tx, {
          actor: null,
          accountId: c.accountId,
          action: "campaign.start-failed",
          entityType: "campaign",
          entityId: campaignId,
          summary: { reason: reason.slice(0, 500) },
        });
      });
      return false;
    }
  }
  const started = await db.transaction(async (tx) => {
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
    // Edited back to draft, cancelled, or already started by another instance: nothing to do.
    if (!c || c.state !== "scheduled") return false;
    if (c.scheduledAt && c.scheduledAt.getTime() > Date.now() + 1000) return "later" as const;
    // Only what was approved, or scheduled by a publisher, goes out at the time.
    if (!isWhatWasCleared(c)) {
      await refuseChanged(tx, c, "start");
      return false;
    }
    await beginSending(tx, null, c, c.state, "start");
    return true;
  });
  if (started === true) await jobs.drain(campaignId);
  return started === true;
}

async function simpleTransition(
  db: Db,
  actor: Actor,
  accountId: string,
  campaignId: string,
  action: "pause" | "resume" | "cancel" | "unschedule",
  reason?: string,
) {
  return db.transaction(async (tx) => {
    const c = await lockCampaign(tx, accountId, campaignId);
    const to = transition(c.state, action);
    // Resuming sends the rest of what was cleared, or nothing (the refusal is committed, then reported).
    if (action === "resume" && !isWhatWasCleared(c)) {
      await refuseChanged(tx, c, "resume", actor);
      return "refused" as const;
    }
    await setCampaignState(tx, c, to, {
      updatedAt: new Date(),
      pausedReason: action === "pause" ? (reason ?? null) : action === "resume" ? null : c.pausedReason,
      // Unscheduled, it is a draft: a new schedule or approval clears it again.
      ...(action === "unschedule" ? { approvedFingerprint: null, approvedBy: null } : {}),
    });
    if (action === "cancel") {
      // Submitted batches stay (they can be deleted from history); the rest will not be sent.
      await tx
        .update(campaignBatches)
        .set({ state: "cancelled" })
        .where(and(eq(campaignBatches.campaignId, c.id), inArray(campaignBatches.state, ["pending"])));
    }
    await writeAudit(tx, { actor, accountId, action: `campaign.${action}`, entityType: "campaign", entityId: c.id, summary: { from: c.state, to } });
    return to;
  });
}

export const pauseCampaign = (db: Db, actor: Actor, accountId: string, id: string) => simpleTransition(db, actor, accountId, id, "pause");
export const cancelCampaign = (db: Db, actor: Actor, accountId: string, id: string) => simpleTransition(db, actor, accountId, id, "cancel");
export const unscheduleCampaign = (db: Db, actor: Actor, accountId: string, id: string) => simpleTransition(db, actor, accountId, id, "unschedule");
export async function resumeCampaign(db: Db, jobs: CampaignJobs, actor: Actor, accountId: string, id: string) {
  const to = await simpleTransition(db, actor, accountId, id, "resume");
  if (to === "refused") throw new CampaignError("changedAfterClearance");
  await jobs.drain(id);
  return to;
}

export async function getCampaign(db: Db, accountId: string, id: string) {
  const [c] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, id), eq(campaigns.accountId, accountId)));
  return c ?? null;
}
