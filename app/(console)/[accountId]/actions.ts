"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { authedAction } from "@/lib/auth/action";
import { getAccountClient } from "@/lib/accounts/wechat-client";
import { writeAudit } from "@/lib/audit/write-audit";

/** message/mass/speed/set: admins only (it changes how fast every send of the account goes out). */
export const setSpeedAction = authedAction(
  "admin",
  z.object({ accountId: z.string().min(1).max(64), speed: z.number().int().min(0).max(4) }),
  async ({ accountId, speed }, user) => {
    const client = await getAccountClient(accountId);
    await client.setSpeed(speed);
    const db = await getDb();
    await db.transaction((tx) =>
      writeAudit(tx, { actor: user, accountId, action: "account.set-speed", entityType: "account", entityId: accountId, summary: { speed } }),
    );
    revalidatePath(`/${accountId}`);
    return { speed };
  },
);
