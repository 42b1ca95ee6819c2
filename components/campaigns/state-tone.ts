import type { CampaignState } from "@/lib/enums";

/**
 * The colour of a campaign's state, the same on every page (dashboard, campaigns, campaign page,
 * history): done is green, ended without sending everything is red, on its way is blue, waiting on
 * a person (paused, awaiting approval) is amber, not started is grey.
 */
const TONES: Record<CampaignState, "slate" | "green" | "amber" | "red" | "blue"> = {
  draft: "slate",
  scheduled: "slate",
  awaiting_approval: "amber",
  paused: "amber",
  sending: "blue",
  submitted: "blue",
  finished: "green",
  failed: "red",
  cancelled: "red",
};

export const campaignStateTone = (s: string) => TONES[s as CampaignState] ?? "slate";
