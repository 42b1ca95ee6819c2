import type { CampaignState } from "@/db/schema/campaigns";

/**
 * Every allowed campaign transition, in one place (as listmonk's core/campaigns.go). Anything not
 * listed is refused. Every module that changes a state asks `nextState` or `canTransition` first,
 * inside the transaction that changes it and holds the campaign's row lock
 * (lib/campaigns/campaign-service.ts, fingerprint.ts, the sending pipeline and the callback's
 * record of a finished job); `assertTransition` is the same check for callers that only verify.
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
export const ACTIVE_STATES: readonly CampaignState[] = ["sending", "paused"];
