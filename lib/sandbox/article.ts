import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sandboxJobs } from "@/db/schema";
import { wechatArticleHtml } from "./html";

/** The article page of a sent news message (WeChat's mp.weixin.qq.com/s/… for the sandbox). */
export async function sandboxArticle(db: Db, msgId: number, idx: number) {
  const [j] = await db.select().from(sandboxJobs).where(eq(sandboxJobs.msgId, msgId));
  if (!j || j.msgtype !== "mpnews") return null;
  const deleted = j.status === "DELETE" || ((j.body.deletedArticles as number[]) ?? []).includes(idx);
  const a = ((j.body.articles as { title?: string; author?: string; content?: string }[]) ?? [])[idx - 1];
  if (!a) return null;
  return { deleted, title: a.title ?? "", author: a.author ?? "", content: wechatArticleHtml(a.content ?? "") };
}
