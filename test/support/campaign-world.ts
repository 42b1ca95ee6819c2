/**
 * A publisher, the sandbox's accounts with their followers behind a local node:http server, and
 * list sends: what the sending pipeline's tests (pipeline, recovery) start from.
 */
import { eq } from "drizzle-orm";
import { sandboxFollowers, user, wechatAccounts } from "@/db/schema";
import { createTestDb, type Driver, type TestDb } from "@/test/db";
import { startTestServer } from "@/test/support/wechat-server";
import { ensureSandboxAccounts } from "@/lib/boot/sandbox-accounts";
import { createAudienceList } from "@/lib/audiences/lists";
import { requestSend, saveCampaign, type CampaignJobs } from "@/lib/campaigns/campaign-service";
import { sandboxCredentials } from "@/lib/sandbox";

export const PUBLISHER = { id: "u1", email: "pub@x.test" };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Valid OpenIDs of nobody (the sandbox accepts them; no follower receives anything for them). */
export const nobody = (i: number) => "zz" + i.toString(36).padStart(26, "0");

export interface CampaignWorld {
  t: TestDb;
  server: { url: string; close(): Promise<void> };
  /** The sandbox's service account: its appid and its id in the console. */
  appid: string;
  accountId: string;
}

/** A fresh database with PUBLISHER and the sandbox's accounts (`followers` each), the sandbox served over HTTP. */
export async function campaignWorld(driver: Driver, followers: number, secretKey: string): Promise<CampaignWorld> {
  process.env.QUNFA_SECRET_KEY = secretKey;
  const t = await createTestDb(driver);
  const server = await startTestServer(t.handle.db);
  process.env.QUNFA_INTERNAL_URL = server.url;
  await t.handle.db.insert(user).values({ ...PUBLISHER, name: "Pub", role: "publisher" });
  await ensureSandboxAccounts(t.handle.db, { followers });
  const appid = sandboxCredentials()[0].appid;
  const [a] = await t.handle.db.select().from(wechatAccounts).where(eq(wechatAccounts.appid, appid));
  return { t, server, appid, accountId: a.id };
}

/** A text campaign to an uploaded OpenID list, saved and sent by PUBLISHER (its drain handed to `jobs`). */
export async function listCampaign(
  t: TestDb,
  accountId: string,
  name: string,
  openids: string[],
  jobs: CampaignJobs,
  message: { type: "text"; content: string } = { type: "text", content: name },
): Promise<string> {
  async function* chunks() {
    for (let i = 0; i < openids.length; i += 50_000) yield openids.slice(i, i + 50_000).join("\n") + "\n";
  }
  const res = await createAudienceList(t.handle.db, PUBLISHER, accountId, name, chunks());
  if ("error" in res) throw new Error("list");
  const id = await saveCampaign(
    t.handle.db,
    PUBLISHER,
    accountId,
    null,
    { name, message, sendIgnoreReprint: 0, audience: { kind: "list", listId: res.listId } },
    { message, searchText: name },
  );
  await requestSend(t.handle.db, jobs, PUBLISHER, accountId, id, null);
  return id;
}

/** `followers` spread evenly through `total` OpenIDs, the rest nobody's (from salt × 1 000 000 on): many batches, few deliveries. */
export function mixed(followers: string[], total: number, salt = 0): string[] {
  const out: string[] = [];
  const every = Math.floor(total / followers.length);
  let f = 0;
  for (let i = 0; i < total; i++) out.push(f < followers.length && i % every === 0 ? followers[f++] : nobody(salt * 1_000_000 + i));
  return out;
}

/** The sandbox account's followers in their order, `n` from `offset` on (all without `n`). */
export async function followerIds(t: TestDb, appid: string, n?: number, offset = 0): Promise<string[]> {
  let q = t.handle.db
    .select({ openid: sandboxFollowers.openid })
    .from(sandboxFollowers)
    .where(eq(sandboxFollowers.appid, appid))
    .orderBy(sandboxFollowers.seq)
    .$dynamic();
  if (n !== undefined) q = q.limit(n);
  if (offset) q = q.offset(offset);
  return (await q).map((r) => r.openid);
}
