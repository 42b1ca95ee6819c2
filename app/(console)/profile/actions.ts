"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { authedAction } from "@/lib/auth/action";
import { profileSchema } from "@/lib/users/schemas";
import { updateProfile } from "@/lib/users/user-service";

// Everyone signed in may edit their own profile (it is how preview finds their WeChat).
export const updateProfileAction = authedAction("read", profileSchema, async (v, user) => {
  await updateProfile(await getDb(), user, v);
  revalidatePath("/profile");
  return null;
});
