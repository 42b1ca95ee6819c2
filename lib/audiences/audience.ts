import { and, eq, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { audienceLists, campaigns } from "@/db/schema";
import type { AudienceKind } from "@/lib/enums";
import type { AudienceInput } from "./kinds";
import { readListRange } from "./lists";
import { splitRanges } from "./split";

/**
 * The one switch over audience kinds. Campaigns store an audience as columns (kind, tag, list) and
 * call these to check it, count it, split it into requests, resolve a request to whom WeChat sends
 * it, and tell two audiences apart.
 */

/** What a campaign row holds of its audience. */
export interface AudienceColumns {
  audienceKind: AudienceKind;
  tagId: number | null;
  tagName: string | null;
  audienceListId: string | null;
  /** people, when known before sending (a tag's count, a list's valid OpenIDs) */
  audienceSize: number | null;
}

export type AudienceRefusalCode = "confirmName" | "sendByListNeedsService" | "listNotReady" | "listTooSmall";

/** An audience that cannot be sent to; the caller turns it into its own error. */
export class AudienceRefused extends Error {
  constructor(
    readonly code: AudienceRefusalCode,
    readonly detail: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

/** Checks the audience against the account and returns its columns (throws AudienceRefused). */
export async function audienceColumns(db: DbOrTx, account: { id: string; name: string; type: string }, a: AudienceInput): Promise<AudienceColumns> {
  if (a.kind === "all") {
    // Typing the account's name is the confirmation that this enters the history list.
    if (a.confirmName.trim() !== account.name) throw new AudienceRefused("confirmName", { name: account.name });
    return { audienceKind: "all", tagId: null, tagName: null, audienceListId: null, audienceSize: null };
  }
  if (a.kind === "tag") return { audienceKind: "tag", tagId: a.tagId, tagName: a.tagName, audienceListId: null, audienceSize: a.tagCount ?? null };
  // Sending by OpenID list is a service-account interface (「高级群发接口」 › 「根据OpenID列表群发」).
  if (account.type !== "service") throw new AudienceRefused("sendByListNeedsService");
  const [l] = await db
    .select()
    .from(audienceLists)
    .where(and(eq(audienceLists.id, a.listId), eq(audienceLists.accountId, account.id)));
  if (!l || l.status !== "ready") throw new AudienceRefused("listNotReady");
  if (l.validCount < 2) throw new AudienceRefused("listTooSmall");
  return { audienceKind: "list", tagId: null, tagName: null, audienceListId: l.id, audienceSize: l.validCount };
}

/**
 * The requests an audience is sent in: one sendall for everyone or a tag; for a list, ranges of
 * 2 to 10 000 OpenIDs over the list as it stands now (throws AudienceRefused when too small).
 */
export async function audienceRequests(
  db: DbOrTx,
  c: Pick<AudienceColumns, "audienceKind" | "audienceListId">,
): Promise<{ kind: "sendall" } | { kind: "send"; ranges: { from: number; count: number }[] }> {
  if (c.audienceKind !== "list") return { kind: "sendall" };
  const [l] = await db.select({ n: audienceLists.validCount }).from(audienceLists).where(eq(audienceLists.id, c.audienceListId!));
  const ranges = splitRanges(l?.n ?? 0);
  if (ranges.length === 0) throw new AudienceRefused("listTooSmall");
  return { kind: "send", ranges };
}

/** Whom one request goes to, as the messenger sends it. */
export type SendTarget = { kind: "all" } | { kind: "tag"; tagId: number } | { kind: "list"; openids: string[] };

/** Resolves one request of a campaign to its send target (a list request reads its OpenIDs unless given). */
export async function sendTarget(
  db: DbOrTx,
  c: Pick<AudienceColumns, "audienceKind" | "tagId" | "audienceListId">,
  request: { kind: "sendall" | "send"; listFrom: number | null; recipientCount: number | null; openids?: string[] | null },
): Promise<SendTarget> {
  if (request.kind === "sendall") return c.audienceKind === "all" ? { kind: "all" } : { kind: "tag", tagId: c.tagId! };
  return { kind: "list", openids: request.openids ?? (await readListRange(db, c.audienceListId!, request.listFrom!, request.recipientCount!)) };
}

/** What makes two audiences the same one (the fingerprint and "sent to this audience before" use it). */
export function audienceIdentity(c: Pick<AudienceColumns, "audienceKind" | "tagId" | "audienceListId">) {
  return { kind: c.audienceKind, tagId: c.audienceKind === "tag" ? c.tagId : null, listId: c.audienceKind === "list" ? c.audienceListId : null };
}

/** Campaigns sent to the same recurring audience (the same tag or list); null for everyone. */
export function sameAudienceWhere(c: Pick<AudienceColumns, "audienceKind" | "tagId" | "audienceListId">): SQL | null {
  if (c.audienceKind === "tag" && c.tagId !== null) return and(eq(campaigns.audienceKind, "tag"), eq(campaigns.tagId, c.tagId))!;
  if (c.audienceKind === "list" && c.audienceListId) return and(eq(campaigns.audienceKind, "list"), eq(campaigns.audienceListId, c.audienceListId))!;
  return null;
}
