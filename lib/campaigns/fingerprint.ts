import { createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { campaignBatches, campaigns, type CampaignMessage } from "@/db/schema";
import { audienceIdentity } from "@/lib/audiences/audience";
import { writeAudit, type Actor } from "@/lib/audit/write-audit";
import { nextState, setCampaignState } from "./state-machine";

type CampaignRow = typeof campaigns.$inferSelect;

/** The columns that decide what reaches whom; everything else (name, counts, times) may change freely. */
export type Fingerprinted = Pick<CampaignRow, "accountId" | "messageType" | "message" | "sendIgnoreReprint" | "audienceKind" | "tagId" | "audienceListId">;

/**
 * What WeChat will be asked to deliver, without what only qunfa shows. A news message is its draft
 * version (a version never changes once saved; its media_id is uploaded from it right before sending,
 * so the media_id is left out); a news message made outside the picker is its media_id.
 */
function sentPart(m: CampaignMessage): Record<string, unknown> {
  switch (m.type) {
    case "mpnews":
      return m.newsDraftId && m.newsVersion ? { type: m.type, newsDraftId: m.newsDraftId, newsVersion: m.newsVersion } : { type: m.type, mediaId: m.mediaId };
    case "text":
      return { type: m.type, content: m.content };
    case "mpvideo":
      return { type: m.type, mediaId: m.mediaId, title: m.title ?? "", description: m.description ?? "" };
    case "wxcard":
      return { type: m.type, cardId: m.cardId };
    default:
      return { type: m.type, mediaId: m.mediaId };
  }
}

/** JSON with keys sorted at every level, so equal content always gives equal text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v ?? null);
}

/** sha256 (hex) of the message, the audience and the send options, in one canonical serialization. */
export function campaignFingerprint(c: Fingerprinted): string {
  const doc = {
    v: 1,
    accountId: c.accountId,
    message: sentPart({ ...c.message, type: c.messageType } as CampaignMessage),
    sendIgnoreReprint: c.sendIgnoreReprint,
    audience: audienceIdentity(c),
  };
  return createHash("sha256").update(canonical(doc)).digest("hex");
}

/** Stored by the migration for campaigns already sending or paused before fingerprints existed. */
const LEGACY_FINGERPRINT = "legacy";
/** `lastError` of a campaign refused because it no longer is what was cleared (the page explains it). */
export const CHANGED_AFTER_CLEARANCE = "changed after it was approved or scheduled";

/** `lastError` of a scheduled campaign an edit returned to draft (the page explains it). */
export const BACK_TO_DRAFT = "returned to draft by a change after it was approved or scheduled";

/** True when the row still holds exactly what was approved, scheduled by a publisher, or started. */
export function isWhatWasCleared(c: Fingerprinted & Pick<CampaignRow, "approvedFingerprint" | "state">): boolean {
  if (!c.approvedFingerprint) return false;
  if (c.approvedFingerprint === LEGACY_FINGERPRINT) return c.state === "sending" || c.state === "paused";
  return c.approvedFingerprint === campaignFingerprint(c);
}

/**
 * The send paths' refusal, inside the transaction that holds the campaign's row lock: a scheduled
 * campaign goes back to draft (it must be requested, and approved where the account requires it,
 * again); one already sending or paused fails and its unsent batches are cancelled. Audited.
 */
export async function refuseChanged(tx: Tx, c: CampaignRow, where: "start" | "resume" | "drain", actor: Actor | null = null): Promise<void> {
  const to = nextState(c.state, "refuseChanged");
  await setCampaignState(tx, c, to, {
    lastError: CHANGED_AFTER_CLEARANCE,
    approvedFingerprint: null,
    ...(to === "draft" ? { approvedBy: null, scheduledAt: null } : {}),
    updatedAt: new Date(),
  });
  if (to === "failed")
    await tx
      .update(campaignBatches)
      .set({ state: "cancelled" })
      .where(and(eq(campaignBatches.campaignId, c.id), inArray(campaignBatches.state, ["pending"])));
  await writeAudit(tx, {
    actor,
    accountId: c.accountId,
    action: "campaign.refused-changed",
    entityType: "campaign",
    entityId: c.id,
    summary: { where, from: c.state, to, cleared: c.approvedFingerprint, now: campaignFingerprint(c) },
  });
}

/**
 * For a send path outside a transaction of its own (the drain job): takes the campaign's row lock,
 * and refuses (as above) unless the row, and the copy the caller read (`seen`), are what was cleared.
 */
export async function clearedToSend(db: Db, campaignId: string, where: "start" | "resume" | "drain", seen?: Fingerprinted): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
    if (!c) return false;
    const same = !seen || c.approvedFingerprint === LEGACY_FINGERPRINT || campaignFingerprint(seen) === campaignFingerprint(c);
    if (isWhatWasCleared(c) && same) return true;
    if (c.state === "sending" || c.state === "paused" || c.state === "scheduled") await refuseChanged(tx, c, where);
    return false;
  });
}
