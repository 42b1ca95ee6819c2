import "server-only";
import { getLocale, getTranslations } from "next-intl/server";
import type { z } from "zod";
import { getDb } from "@/db/client";
import type { NewsArticle } from "@/db/schema";
import { UserFacingError } from "@/lib/auth/action";
import type { CurrentUser } from "@/lib/auth/guard";
import { getAccount } from "@/lib/accounts/account-service";
import { explainNewsError } from "@/lib/news/explain";
import { NewsConflictError, saveDraft } from "@/lib/news/news-service";
import type { draftSaveSchema } from "@/lib/news/schemas";

export type SaveOutcome =
  | { saved: true; version: number; updatedAt: string }
  | { saved: false; message: string; conflict: { version: number; updatedAt: string; byName: string | null; byEmail: string | null; self: boolean } };

/** Shared by the autosave action and the keepalive route used when the page is left (not an action itself). */
export async function saveDraftFor(user: CurrentUser, input: z.output<typeof draftSaveSchema>): Promise<SaveOutcome> {
  const db = await requireAccount(input.accountId);
  try {
    const r = await saveDraft(db, user, input.accountId, input.draftId, input.baseVersion, input.articles as NewsArticle[], { overwrite: input.overwrite });
    return { saved: true, version: r.version, updatedAt: r.updatedAt.toISOString() };
  } catch (e) {
    if (e instanceof NewsConflictError) {
      // The other save's time, in the account's zone like every time the editor shows.
      const zone = (await getAccount(db, input.accountId))?.timezone;
      const x = (await explainNewsError(e, await getLocale(), zone, user.id))!;
      return { saved: false, message: x.message, conflict: x.conflict! };
    }
    return explain(e);
  }
}

/** The database, once the account is known to exist (otherwise the news catalog's "not found"). Also used by ./actions.ts. */
export async function requireAccount(accountId: string) {
  const db = await getDb();
  if (!(await getAccount(db, accountId))) throw new UserFacingError((await getTranslations("news"))("notFound"));
  return db;
}

/** Rethrows a news error as a UserFacingError in the person's language (anything else as it is). Also used by ./actions.ts. */
export async function explain(e: unknown): Promise<never> {
  const x = await explainNewsError(e, await getLocale());
  if (x) throw new UserFacingError(x.message, x.fieldErrors);
  throw e;
}
