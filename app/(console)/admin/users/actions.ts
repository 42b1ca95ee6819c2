"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { authedAction, UserFacingError } from "@/lib/auth/action";
import { banSchema, inviteSchema, previewConfirmSchema, setRoleSchema } from "@/lib/users/schemas";
import { PreviewConfirmError, setPreviewConfirmation } from "@/lib/users/preview-target";
import { createInvitation, revokeInvitation, setUserBanned, setUserRole, UserError } from "@/lib/users/user-service";
import { env } from "@/lib/config/env";

async function userError(e: unknown): Promise<never> {
  if (e instanceof UserError) {
    const t = await getTranslations("users");
    throw new UserFacingError(t(`error.${e.code}`));
  }
  throw e;
}

export const inviteAction = authedAction("admin", inviteSchema, async (v, user) => {
  const inv = await createInvitation(await getDb(), user, v).catch(userError);
  revalidatePath("/admin/users");
  return { link: `${env.publicUrl}/invite/${inv.token}` };
});

export const setRoleAction = authedAction("admin", setRoleSchema, async (v, user) => {
  await setUserRole(await getDb(), user, v.userId, v.role).catch(userError);
  revalidatePath("/admin/users");
  return null;
});

export const setBannedAction = authedAction("admin", banSchema, async (v, user) => {
  await setUserBanned(await getDb(), user, v.userId, v.banned).catch(userError);
  revalidatePath("/admin/users");
  return null;
});

export const confirmPreviewAction = authedAction("admin", previewConfirmSchema, async (v, user) => {
  try {
    await setPreviewConfirmation(await getDb(), user, v.userId, { wechatId: v.wechatId, previewOpenid: v.previewOpenid }, v.confirm);
  } catch (e) {
    if (e instanceof PreviewConfirmError) throw new UserFacingError((await getTranslations("users"))(`previewTarget.error.${e.code}`));
    throw e;
  }
  revalidatePath("/admin/users");
  return null;
});

export const revokeInviteAction = authedAction("admin", z.object({ id: z.string().min(1).max(64) }), async (v, user) => {
  await revokeInvitation(await getDb(), user, v.id);
  revalidatePath("/admin/users");
  return null;
});
