import { afterAll, beforeAll, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import en from "@/messages/en/campaigns.json";
import zh from "@/messages/zh-CN/campaigns.json";
import { campaignBatches, user, wechatAccounts } from "@/db/schema";
import { createTestDb, describeEachDriver, type TestDb } from "@/test/db";
import { ensureSandboxAccounts } from "@/lib/boot/sandbox-accounts";
import { sandboxCredentials } from "@/lib/sandbox";
import { createAudienceList, readListRange } from "@/lib/audiences/lists";
import { requestSend, saveCampaign, type CampaignJobs } from "./campaign-service";
import type { CampaignFormValues } from "./schemas";

const actor = { id: "u1", email: "pub@x.test" };
const jobs: CampaignJobs = { drain: async () => {}, startAt: async () => {} };
const oid = (i: number) => "o" + i.toString(36).padStart(27, "0");

/** n distinct OpenIDs, one a line, generated as the import reads them (never the whole file in memory). */
async function* openids(n: number) {
  for (let i = 0; i < n; i += 10_000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(n, i + 10_000); j++) lines.push(oid(j));
    yield lines.join("\n") + "\n";
  }
}

describeEachDriver("the 2–10 000 split on real lists and batch rows", (driver) => {
  let t: TestDb;
  let accountId = "";
  const db = () => t.handle.db;
  beforeAll(async () => {
    process.env.QUNFA_SECRET_KEY ||= "split-test";
    t = await createTestDb(driver);
    await db().insert(user).values({ id: "u1", name: "Pub", email: "pub@x.test", role: "publisher" });
    await ensureSandboxAccounts(db(), { followers: 10 });
    const [a] = await db().select().from(wechatAccounts).where(eq(wechatAccounts.appid, sandboxCredentials()[0].appid));
    accountId = a.id;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  /** Imports n OpenIDs as a list, makes a campaign to it and starts it: the batch rows are written. */
  async function sendTo(n: number) {
    const r = await createAudienceList(db(), actor, accountId, `list ${n}`, openids(n));
    if ("error" in r) throw new Error("import");
    expect(r.report).toMatchObject({ linesRead: n, valid: n, invalid: 0, duplicates: 0 });
    const values: CampaignFormValues = {
      name: `to ${n}`,
      message: { type: "text", content: "hi" },
      sendIgnoreReprint: 0,
      audience: { kind: "list", listId: r.listId },
    };
    const id = await saveCampaign(db(), actor, accountId, null, values, { message: { type: "text", content: "hi" }, searchText: "hi" });
    await requestSend(db(), jobs, actor, accountId, id, null);
    const batches = await db().select().from(campaignBatches).where(eq(campaignBatches.campaignId, id)).orderBy(campaignBatches.seq);
    return { listId: r.listId, report: r.report, batches };
  }

  it("1 OpenID is refused at upload (nothing stored), and the campaign check names the rule in both languages", async () => {
    const r = await createAudienceList(db(), actor, accountId, "one", openids(1));
    expect(r).toMatchObject({ error: "refused", refusal: { code: "tooFew", valid: 1 } });
    expect(en.campaigns.error.listTooSmall).toBe("Sending by OpenID list needs at least 2 valid OpenIDs.");
    expect(zh.campaigns.error.listTooSmall).toMatch(/2/);
  });

  it.each([
    [2, [2]],
    [10_000, [10_000]],
    [10_001, [5_001, 5_000]],
    [20_001, [6_667, 6_667, 6_667]],
  ])("%i OpenIDs → requests of %j, each a range of the stored list with its own clientmsgid", async (n, sizes) => {
    const { listId, report, batches } = await sendTo(n);
    expect(report.requests).toBe(sizes.length);
    expect(batches.map((b) => b.recipientCount)).toEqual(sizes);
    expect(new Set(batches.map((b) => b.clientMsgId)).size).toBe(sizes.length);
    expect(batches.every((b) => b.kind === "send" && b.state === "pending")).toBe(true);
    // Read back: the ranges cover the list once, in order.
    const got: string[] = [];
    for (const b of batches) got.push(...(await readListRange(db(), listId, b.listFrom!, b.recipientCount!)));
    expect(got.length).toBe(n);
    expect(got[0]).toBe(oid(0));
    expect(got[n - 1]).toBe(oid(n - 1));
    expect(new Set(got).size).toBe(n);
  });

  it("5 000 000 OpenIDs → 500 requests of 10 000", async () => {
    const t0 = performance.now();
    const { listId, batches } = await sendTo(5_000_000);
    const ms = performance.now() - t0;
    console.log(`[split] 5 000 000 OpenIDs imported and split on ${driver} in ${(ms / 1000).toFixed(1)} s`);
    expect(batches).toHaveLength(500);
    expect(batches.every((b) => b.recipientCount === 10_000)).toBe(true);
    expect(batches.map((b) => b.listFrom)).toEqual(Array.from({ length: 500 }, (_, i) => i * 10_000));
    const [stored] = (
      (await db().execute(sql`select count(*)::int as segments, sum(count)::bigint as n from audience_list_chunks where list_id = ${listId}`)) as unknown as {
        rows: { segments: number; n: string }[];
      }
    ).rows;
    expect(Number(stored.n)).toBe(5_000_000);
    const last = await readListRange(db(), listId, 4_999_990, 10);
    expect(last.at(-1)).toBe(oid(4_999_999));
  }, 180_000);
});
