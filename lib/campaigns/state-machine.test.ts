import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { campaigns } from "@/db/schema";
import { CAMPAIGN_STATES, type CampaignState } from "@/db/schema/campaigns";
import { createAccount } from "@/lib/accounts/account-service";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { ACTIONS, assertTransition, canTransition, nextState, setCampaignState, TRANSITIONS, TransitionError, type CampaignAction } from "./state-machine";

describe("campaign state machine", () => {
  const allowed = new Set(Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`)));

  it("allows exactly the listed transitions", () => {
    expect(allowed).toEqual(
      new Set([
        "draft->awaiting_approval",
        "draft->scheduled",
        "draft->sending",
        "draft->cancelled",
        "awaiting_approval->draft",
        "awaiting_approval->scheduled",
        "awaiting_approval->sending",
        "awaiting_approval->cancelled",
        "scheduled->draft",
        "scheduled->sending",
        "scheduled->cancelled",
        "sending->paused",
        "sending->submitted",
        "sending->cancelled",
        "sending->failed",
        "paused->sending",
        "paused->cancelled",
        "paused->failed",
        "submitted->finished",
      ]),
    );
  });

  // One test for every refused transition.
  for (const from of CAMPAIGN_STATES) {
    for (const to of CAMPAIGN_STATES) {
      if (allowed.has(`${from}->${to}`)) continue;
      it(`refuses ${from} → ${to}`, () => {
        expect(canTransition(from, to)).toBe(false);
        expect(() => assertTransition(from, to)).toThrow(TransitionError);
      });
    }
  }

  it("every action leads only along allowed transitions and refuses other starting states", () => {
    for (const [action, map] of Object.entries(ACTIONS) as [CampaignAction, Partial<Record<CampaignState, CampaignState>>][]) {
      for (const from of CAMPAIGN_STATES) {
        const to = map[from];
        if (to) expect(nextState(from, action)).toBe(to);
        else expect(() => nextState(from, action), `${action} from ${from}`).toThrow(TransitionError);
      }
    }
  });

  it("approval leads to sending or to the requested schedule", () => {
    expect(nextState("awaiting_approval", "approve", "scheduled")).toBe("scheduled");
    expect(nextState("awaiting_approval", "approve", "sending")).toBe("sending");
    expect(() => nextState("draft", "approve", "sending")).toThrow(TransitionError);
  });

  it("an edit withdraws a schedule; a send path refusing a changed campaign ends it before anything more is sent", () => {
    expect(nextState("scheduled", "edit")).toBe("draft");
    expect(() => nextState("sending", "edit")).toThrow(TransitionError);
    expect(() => nextState("awaiting_approval", "edit")).toThrow(TransitionError);
    expect(nextState("scheduled", "refuseChanged")).toBe("draft");
    expect(nextState("sending", "refuseChanged")).toBe("failed");
    expect(nextState("paused", "refuseChanged")).toBe("failed");
  });

  it("terminal states go nowhere", () => {
    for (const s of ["finished", "cancelled", "failed"] as const) expect(TRANSITIONS[s]).toEqual([]);
  });
});

describeEachDriver("the one write of a campaign's state", (driver) => {
  let t: TestDb;
  let accountId = "";
  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY = "state-machine-test";
    t = await createTestDb(driver);
    const a = await createAccount(t.handle.db, null, {
      name: "states",
      appid: "wx00000000000051a7",
      appSecret: "0123456789abcdef0123456789abcdef",
      type: "service",
      verified: true,
      callbackToken: "statesToken1",
      encodingAesKey: "",
      messageMode: "plaintext",
      relayUrl: "",
      apiBaseUrl: "http://127.0.0.1:1",
      timezone: "Asia/Shanghai",
      requiresApproval: false,
    });
    accountId = a.id;
  }, 120_000);
  afterAll(async () => t?.dispose());

  it("writes an allowed transition with its columns, and refuses any other without touching the row", async () => {
    const db = t.handle.db;
    await db
      .insert(campaigns)
      .values({ id: "c-sm", accountId, name: "sm", state: "sending", messageType: "text", message: { type: "text", content: "x" }, audienceKind: "all" });
    const row = async () => (await db.select().from(campaigns).where(eq(campaigns.id, "c-sm")))[0];
    await setCampaignState(db, { id: "c-sm", state: "sending" }, "paused", { pausedReason: "why" });
    expect(await row()).toMatchObject({ state: "paused", pausedReason: "why" });
    for (const to of ["finished", "submitted", "draft", "scheduled"] as const) {
      await expect(setCampaignState(db, { id: "c-sm", state: "paused" }, to, { pausedReason: to })).rejects.toBeInstanceOf(TransitionError);
    }
    expect(await row()).toMatchObject({ state: "paused", pausedReason: "why" });
  });
});
