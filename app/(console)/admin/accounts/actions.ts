"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { authedAction, UserFacingError } from "@/lib/auth/action";
import { accountFormSchema } from "@/lib/accounts/schemas";
import { AccountChangeError, archiveAccount, createAccount, updateAccount } from "@/lib/accounts/account-service";
import { testAccountConnection } from "@/lib/accounts/connection-test";

/** A refused change, on the field it concerns. */
async function onField(e: unknown): Promise<never> {
  if (e instanceof AccountChangeError) {
    const t = await getTranslations("accounts");
    const msg = t(`urlSecrets.${e.code}`);
    throw new UserFacingError(msg, { [e.field]: [msg] });
  }
  throw e;
}

export const createAccountAction = authedAction("admin", accountFormSchema("create"), async (v, user) => {
  const account = await createAccount(await getDb(), user, v).catch(onField);
  revalidatePath("/", "layout");
  return { id: account.id };
});

const editSchema = z.object({ id: z.string().min(1).max(64), values: accountFormSchema("edit") });

export const updateAccountAction = authedAction("admin", editSchema, async ({ id, values }, user) => {
  const t = await getTranslations("accounts");
  let account;
  try {
    account = await updateAccount(await getDb(), user, id, values);
  } catch (e) {
    return onField(e);
  }
  if (!account) throw new UserFacingError(t("notFound"));
  revalidatePath("/", "layout");
  return { id };
});

export const archiveAccountAction = authedAction("admin", z.object({ id: z.string().min(1).max(64) }), async ({ id }, user) => {
  await archiveAccount(await getDb(), user, id);
  revalidatePath("/", "layout");
  return { id };
});

export const testConnectionAction = authedAction("admin", z.object({ id: z.string().min(1).max(64) }), async ({ id }, user) => {
  return testAccountConnection(await getDb(), user, id);
});
