"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { authedAction } from "@/lib/auth/action";
import { env } from "@/lib/config/env";
import { listSandboxApps, reseedSandbox, setSandboxSettings } from "@/lib/sandbox";
import { faultSchema } from "@/lib/sandbox/fault-schema";
import { reseedSchema } from "@/lib/sandbox/schemas";
import { writeAudit } from "@/lib/audit/write-audit";

/** Fault injection changes how the simulated WeChat behaves for everyone: admins only. */
export const setFaultsAction = authedAction("admin", faultSchema, async (v, user) => {
  if (!env.sandboxEnabled) throw new Error("sandbox off");
  const db = await getDb();
  const app = (await listSandboxApps(db)).find((a) => a.appid === v.appid);
  if (!app) throw new Error("unknown sandbox app");
  const { appid, perMinute, ...faults } = v;
  await setSandboxSettings(db, appid, { ...app.settings, perMinute, faults: { ...app.settings.faults, ...faults } });
  await db.transaction((tx) =>
    writeAudit(tx, { actor: user, action: "sandbox.set-faults", entityType: "sandbox_app", entityId: appid, summary: { perMinute, ...faults } }),
  );
  revalidatePath("/sandbox");
  return null;
});

/** Seed on demand: every simulated follower, tag and inbox back to the seeded state (admins only). */
export const reseedSandboxAction = authedAction("admin", reseedSchema, async (_v, user) => {
  if (!env.sandboxEnabled) throw new Error("sandbox off");
  const db = await getDb();
  await db.transaction(async (tx) => {
    await reseedSandbox(tx);
    await writeAudit(tx, { actor: user, action: "sandbox.reseed", entityType: "sandbox_app", entityId: "all", summary: {} });
  });
  revalidatePath("/sandbox");
  return null;
});
