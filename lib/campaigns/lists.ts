import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { campaignApprovals, campaigns, user as userTable } from "@/db/schema";
import type { CampaignState } from "@/lib/enums";

/** States of a campaign still being worked on or on its way (the campaigns page lists these). */
const OPEN_STATES: CampaignState[] = ["draft", "awaiting_approval", "scheduled", "sending", "paused", "submitted"];

/** An account's open campaigns, most recently changed first (at most `limit`). */
export function openCampaigns(db: DbOrTx, accountId: string, limit = 200) {
  return db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.accountId, accountId), inArray(campaigns.state, OPEN_STATES)))
    .orderBy(desc(campaigns.updatedAt))
    .limit(limit);
}

/** An account's scheduled campaigns, soonest first (at most `limit`). */
export function scheduledCampaigns(db: DbOrTx, accountId: string, limit = 10) {
  return db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.accountId, accountId), eq(campaigns.state, "scheduled")))
    .orderBy(asc(campaigns.scheduledAt))
    .limit(limit);
}

/** A campaign's name, or null when the account has no such campaign. */
export async function campaignName(db: DbOrTx, accountId: string, campaignId: string): Promise<string | null> {
  const [c] = await db
    .select({ name: campaigns.name })
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.accountId, accountId)));
  return c?.name ?? null;
}

/** The latest approval request of a campaign (who asked, their name, and the decision if any). */
export async function latestApproval(db: DbOrTx, campaignId: string) {
  const [approval] = await db
    .select({ requestedBy: campaignApprovals.requestedBy, name: userTable.name, decision: campaignApprovals.decision, comment: campaignApprovals.comment })
    .from(campaignApprovals)
    .leftJoin(userTable, eq(userTable.id, campaignApprovals.requestedBy))
    .where(eq(campaignApprovals.campaignId, campaignId))
    .orderBy(desc(campaignApprovals.id))
    .limit(1);
  return approval ?? null;
}
