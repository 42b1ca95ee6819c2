/** What the news tests (lib/news, lib/campaigns' news campaigns) share: an article, a cover, audit counts. */
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, type NewsArticle } from "@/db/schema";
import { uploadMediaItem } from "@/lib/media/media-service";
import { emptyArticle } from "@/lib/news/schemas";
import type { SandboxWorld } from "@/test/support/sandbox-world";

/** An article with a title and a body; `over` sets the rest. */
export const newsArticle = (over: Partial<NewsArticle> = {}): NewsArticle => ({
  ...(emptyArticle() as NewsArticle),
  title: "标题",
  content: "<p>正文</p>",
  ...over,
});

/** A permanent thumb (a cover) uploaded to the account's media library through the sandbox; its id. */
export async function uploadCover(w: SandboxWorld, bytes: Buffer, account: "main" | "other" = "main"): Promise<string> {
  const [accountId, client] = account === "main" ? [w.accountId, w.client] : [w.otherAccountId, w.otherClient];
  const item = await uploadMediaItem(w.t.handle.db, w.actor, accountId, { kind: "thumb", storage: "permanent", filename: "cover.png", bytes }, { client });
  return item.id;
}

/** How many audit entries about the entity have the action. */
export async function auditCount(db: Db, entityId: string, action: string): Promise<number> {
  return (
    await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, entityId), eq(auditLog.action, action)))
  ).length;
}
