import { getDbHandle } from "@/db/client";
import { wechatMessenger } from "@/lib/campaigns/wechat-messenger";
import { releaseWorkerLock } from "@/lib/campaigns/pipeline";
import { getBoss } from "./boss";
import { startCampaignWorkers } from "./campaign-jobs";
import { startStatusChecks } from "./status-checks";
import { startCallbackSweep } from "./callback-sweep";

/** Every background worker of a qunfa process; returns a stop function. */
export async function startWorkers(): Promise<() => Promise<void>> {
  const handle = await getDbHandle();
  const boss = await getBoss();
  const messenger = wechatMessenger(handle);
  const campaigns = await startCampaignWorkers({ handle, boss, messenger });
  const status = await startStatusChecks(handle, boss);
  const callbacks = await startCallbackSweep(handle, boss);
  return async () => {
    await status.stop();
    await callbacks.stop();
    await campaigns.stop();
    await boss.stop({ graceful: true, timeout: 10_000 }).catch(() => {});
    // Only once no drain of ours is left: until then our "submitting" batches must look alive.
    await releaseWorkerLock(handle);
  };
}
