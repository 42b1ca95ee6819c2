"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { authedAction } from "@/lib/auth/action";
import { env } from "@/lib/config/env";
import { listSandboxApps, setSandboxSettings } from "@/lib/sandbox";
import { faultSchema } from "@/lib/sandbox/schemas";
import { writeAudit } from "@/lib/audit/write-audit";


/** Fault injection changes how the simulated WeChat behaves for everyone: admins only. */
export const setFaultsAction = authedAction("admin", faultSchema, async (v, user) => {
  if (!env.sandboxEnabled) throw new Error("sandbox off");
  const db = await getDb();
  const app = (await listSandboxApps(db)).find((a) => a.appid === v.appid);
  if (!app) throw new Error("unknown sandbox app");
  const { appid, perMinute, ...faults } = v;
  await setSandboxSettings(db, appid, { ...app.settings, perMinute, faults: { ...app.settings.faults, ...faults } });
  await db.transaction((tx) => writeAudit(tx, { actor: user, action: "sandbox.set-faults", entityType: "sandbox_app", entityId: appid, summary: { perMinute, ...faults } }));
  revalidatePath("/sandbox");
  return null;
});
