"use server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { MEDIA_KINDS } from "@/lib/enums";
import { authedAction, UserFacingError } from "@/lib/auth/action";
import { getAccount } from "@/lib/accounts/account-service";
import { toMediaDTO } from "@/lib/media/dto";
import { explainMediaError } from "@/lib/media/explain";
import { copyMediaToAccount, createMassVideo, deleteMediaItem, listMedia } from "@/lib/media/media-service";
import { massVideoSchema } from "@/lib/media/schemas";

const accountIdSchema = z.string().min(1).max(64);
const idSchema = z.object({ accountId: accountIdSchema, id: z.string().min(1).max(64) });

async function explain(e: unknown): Promise<never> {
  const msg = await explainMediaError(e);
  if (msg) throw new UserFacingError(msg);
  throw e;
}

async function requireAccount(accountId: string) {
  const db = await getDb();
  if (!(await getAccount(db, accountId))) throw new UserFacingError((await getTranslations("media"))("error.account"));
  return db;
}

export const deleteMediaAction = authedAction("edit", idSchema, async ({ accountId, id }, user) => {
  const db = await requireAccount(accountId);
  const ok = await deleteMediaItem(db, user, accountId, id);
  if (!ok) throw new UserFacingError((await getTranslations("media"))("rule.notFound"));
  revalidatePath(`/${accountId}/media`);
  return null;
});

export const massVideoAction = authedAction("edit", idSchema.extend({ values: massVideoSchema }), async ({ accountId, id, values }, user) => {
  const db = await requireAccount(accountId);
  const mv = await createMassVideo(db, user, accountId, id, values).catch(explain);
  revalidatePath(`/${accountId}/media`);
  return { massMediaId: mv.massMediaId };
});

export const copyMediaAction = authedAction("edit", idSchema.extend({ toAccountId: accountIdSchema }), async ({ accountId, id, toAccountId }, user) => {
  const db = await requireAccount(accountId);
  await requireAccount(toAccountId);
  const item = await copyMediaToAccount(db, user, accountId, id, toAccountId).catch(explain);
  revalidatePath(`/${toAccountId}/media`);
  return { id: item.id, mediaId: item.mediaId, url: item.url };
});

/** For pickers (the news editor's cover choice): the account's usable items of some kinds. */
export const mediaPickerAction = authedAction(
  "read",
  z.object({ accountId: accountIdSchema, kinds: z.array(z.enum(MEDIA_KINDS)).min(1).max(5), q: z.string().max(100).optional() }),
  async ({ accountId, kinds, q }) => {
    const db = await requireAccount(accountId);
    const lists = await Promise.all(kinds.map((kind) => listMedia(db, accountId, { kind, q, limit: 100 })));
    return lists
      .flat()
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map(toMediaDTO);
  },
);
