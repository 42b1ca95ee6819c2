import "server-only";
import { getAccountClient } from "@/lib/accounts/wechat-client";

type Tags = { id: number; name: string; count: number }[];
type Global = typeof globalThis & { __qunfaTags?: Map<string, { at: number; tags: Tags }> };
const g = globalThis as Global;

/** tags/get, cached per account for 10 minutes (the picker shows its age and can refresh). */
export async function accountTags(accountId: string, refresh = false): Promise<{ tags: Tags; fetchedAt: Date }> {
  g.__qunfaTags ??= new Map();
  const hit = g.__qunfaTags.get(accountId);
  if (hit && !refresh && Date.now() - hit.at < 10 * 60_000) return { tags: hit.tags, fetchedAt: new Date(hit.at) };
  const client = await getAccountClient(accountId);
  const { tags } = await client.getTags();
  g.__qunfaTags.set(accountId, { at: Date.now(), tags });
  return { tags, fetchedAt: new Date() };
}
