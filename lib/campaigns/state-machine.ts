import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { campaigns, type CampaignState } from "@/db/schema/campaigns";

/**
 * Every allowed campaign transition, in one place (as listmonk's core/campaigns.go). Anything not
 * listed is refused. A campaign's state is written only by `setCampaignState` below, which checks
 * the transition with `assertTransition`; the services (campaign-service.ts, fingerprint.ts, and the
 * results owner results.ts) call it inside the transaction that holds the campaign's row lock,
 * after choosing the target with `nextState`.
 */
export const TRANSITIONS = {
  draft: ["awaiting_approval", "scheduled", "sending", "cancelled"],
  awaiting_approval: ["draft", "scheduled", "sending", "cancelled"],
  scheduled: ["draft", "sending", "cancelled"],
  sending: ["paused", "submitted", "cancelled", "failed"],
  paused: ["sending", "cancelled", "failed"],
  submitted: ["finished"],
  finished: [],
  cancelled: [],
  failed: [],
} as const satisfies Record<CampaignState, readonly CampaignState[]>;

export type CampaignAction =
  | "requestApproval"
  | "approve"
  | "reject"
  | "schedule"
  | "unschedule"
  | "sendNow"
  | "start"
  | "pause"
  | "resume"
  | "cancel"
  | "allSubmitted"
  | "allFailed"
  | "finish"
  | "edit"
  | "refuseChanged";

/** Which transition each action makes, by the state it starts from. */
export const ACTIONS: Record<CampaignAction, Partial<Record<CampaignState, CampaignState>>> = {
  requestApproval: { draft: "awaiting_approval" },
  // Approval leads wherever the request asked: send now or at a time.
  approve: { awaiting_approval: "sending" },
  reject: { awaiting_approval: "draft" },
  schedule: { draft: "scheduled", awaiting_approval: "scheduled" },
  unschedule: { scheduled: "draft" },
  sendNow: { draft: "sending" },
  start: { scheduled: "sending" },
  pause: { sending: "paused" },
  resume: { paused: "sending" },
  cancel: { draft: "cancelled", awaiting_approval: "cancelled", scheduled: "cancelled", sending: "cancelled", paused: "cancelled" },
  allSubmitted: { sending: "submitted" },
  allFailed: { sending: "failed" },
  finish: { submitted: "finished" },
  // Changing the message or audience of a scheduled campaign (approved, or scheduled by a
  // publisher) withdraws that clearance: it is a draft again, to be requested (and approved) anew.
  edit: { scheduled: "draft" },
  // A send path found the row no longer holds what was cleared: nothing of it is sent.
  refuseChanged: { scheduled: "draft", sending: "failed", paused: "failed" },
};

export class TransitionError extends Error {
  constructor(
    readonly from: CampaignState,
    readonly to: CampaignState | null,
    readonly action?: CampaignAction,
  ) {
    super(`campaign cannot go from ${from} to ${to ?? "?"}${action ? ` (${action})` : ""}`);
    this.name = "TransitionError";
  }
}

export function canTransition(from: CampaignState, to: CampaignState): boolean {
  return (TRANSITIONS[from] as readonly CampaignState[]).includes(to);
}

export function assertTransition(from: CampaignState, to: CampaignState): void {
  if (!canTransition(from, to)) throw new TransitionError(from, to);
}

/** The state an action leads to from `from`, or a TransitionError. */
export function nextState(from: CampaignState, action: CampaignAction, approvedTarget?: "sending" | "scheduled"): CampaignState {
  let to = ACTIONS[action][from];
  if (action === "approve" && to && approvedTarget) to = approvedTarget;
  if (!to || !canTransition(from, to)) throw new TransitionError(from, to ?? null, action);
  return to;
}

/**
 * States in which the message and audience may still be edited. Editing a scheduled campaign's
 * message or audience returns it to draft (the `edit` action); only its name keeps the schedule.
 */
export const EDITABLE_STATES: readonly CampaignState[] = ["draft", "scheduled"];

/**
 * The one write of a campaign's state: refuses a transition the table does not allow, then sets
 * the state with the other columns the change brings. The caller holds the campaign's row lock, and
 * `c.state` is the state it read under that lock.
 */
export async function setCampaignState(
  tx: DbOrTx,
  c: { id: string; state: CampaignState },
  to: CampaignState,
  set: Omit<Partial<typeof campaigns.$inferInsert>, "state" | "id"> = {},
): Promise<void> {
  assertTransition(c.state, to);
  await tx
    .update(campaigns)
    .set({ ...set, state: to })
    .where(eq(campaigns.id, c.id));
}
