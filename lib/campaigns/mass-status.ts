import { and, eq, isNotNull } from "drizzle-orm";
import type { DbHandle } from "@/db/client";
import { campaignBatches } from "@/db/schema";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import { jobResultOfMassStatus } from "./job-result";
import { applyMassGetResult, applyPendingFinishFor, batchesAwaitingResult, markStatusChecked, recordMassStatus } from "./results";

/** message/mass/get for one batch: records WeChat's status (SENDING, SEND_SUCCESS, SEND_FAIL, DELETE). */
async function refreshBatchStatus(h: DbHandle, batchId: number): Promise<string | null> {
  const [b] = await h.db.select().from(campaignBatches).where(eq(campaignBatches.id, batchId));
  if (!b?.msgId) return null;
  const client = await getAccountClient(b.accountId, h);
  const r = await client.getMassStatus(b.msgId);
  await recordMassStatus(h.db, b, r.msg_status);
  return r.msg_status;
}

/**
 * Refreshes the submitted batches of one campaign of this account — all of them, or only `batchId`
 * (a batch of another campaign or account is not found, so the URL cannot reach it).
 */
export async function refreshCampaignStatus(h: DbHandle, accountId: string, campaignId: string, batchId?: number) {
  const rows = await h.db
    .select({ id: campaignBatches.id, seq: campaignBatches.seq })
    .from(campaignBatches)
    .where(
      and(
        eq(campaignBatches.campaignId, campaignId),
        eq(campaignBatches.accountId, accountId),
        isNotNull(campaignBatches.msgId),
        batchId === undefined ? undefined : eq(campaignBatches.id, batchId),
      ),
    )
    .orderBy(campaignBatches.seq);
  const out: { seq: number; status: string | null }[] = [];
  for (const b of rows) out.push({ seq: b.seq, status: await refreshBatchStatus(h, b.id) });
  return out;
}

/**
 * One batch with no MASSSENDJOBFINISH: asks message/mass/get and, when WeChat says the job is over
 * (SEND_SUCCESS / SEND_FAIL), records that as the batch's result and lets the campaign finish once
 * every batch has one (the same summing as for the callback's results). A MASSSENDJOBFINISH that
 * arrives later still overwrites the batch with WeChat's own counts.
 */
async function checkBatchStatus(h: DbHandle, batchId: number): Promise<string | null> {
  // The callback may have come before the batch knew its msg_id (the answer to the first attempt was
  // lost and only the retry's 45065 named it): that recorded, unapplied MASSSENDJOBFINISH is the result.
  const [known] = await h.db
    .select({ accountId: campaignBatches.accountId, msgId: campaignBatches.msgId })
    .from(campaignBatches)
    .where(eq(campaignBatches.id, batchId));
  if (known?.msgId && (await applyPendingFinishFor(h.db, known.accountId, known.msgId)) !== null) return "callback";
  const status = await refreshBatchStatus(h, batchId);
  if (status) await applyMassGetResult(h.db, batchId, (b) => jobResultOfMassStatus(status, b));
  return status;
}

/** One round of checks: every batch submitted longer than `afterMs` ago with no result yet. */
export async function runStatusChecks(h: DbHandle, afterMs: number, stopped: () => boolean = () => false): Promise<number> {
  let checked = 0;
  for (const b of await batchesAwaitingResult(h.db, afterMs)) {
    if (stopped()) break;
    await checkBatchStatus(h, b.id).then(
      () => checked++,
      async (e: Error) => {
        await markStatusChecked(h.db, b.id);
        console.warn(`[qunfa] status check of batch ${b.id} failed: ${e.message}`);
      },
    );
  }
  return checked;
}
