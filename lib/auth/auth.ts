import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/admin/access";
import { nextCookies } from "better-auth/next-js";
import { getDb } from "@/db/client";
import * as schema from "@/db/schema";
import { derivedSecret } from "@/lib/crypto/secret-box";
import { env } from "@/lib/config/env";

// The admin plugin accepts any role string unless access control names the roles: name ours.
const ac = createAccessControl(defaultStatements);
const roles = {
  admin: adminAc,
  publisher: ac.newRole({ user: [], session: [] }),
  editor: ac.newRole({ user: [], session: [] }),
  viewer: ac.newRole({ user: [], session: [] }),
};

async function createAuth() {
  const db = await getDb();
  return betterAuth({
    appName: "qunfa",
    baseURL: env.publicUrl,
    secret: derivedSecret("better-auth"),
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: schema.user, session: schema.session, account: schema.authAccount, verification: schema.verification },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 10, maxPasswordLength: 128, autoSignIn: false },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    // No HTTP handler is mounted: every auth call goes through our server actions, which throttle
    // and audit. better-auth's own limiter is in-process and trusts x-forwarded-for, so it is off.
    rateLimit: { enabled: false },
    trustedOrigins: [env.publicUrl, env.internalUrl],
    user: {
      additionalFields: {
        wechatId: { type: "string", required: false, input: false },
        previewOpenid: { type: "string", required: false, input: false },
        locale: { type: "string", required: false, input: false },
      },
    },
    telemetry: { enabled: false },
    plugins: [admin({ ac, roles, defaultRole: "viewer", adminRoles: ["admin"] }), nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;
type Global = typeof globalThis & { __qunfaAuth?: Promise<Auth> };
const g = globalThis as Global;

export function getAuth(): Promise<Auth> {
  if (!g.__qunfaAuth) g.__qunfaAuth = createAuth().catch((e) => ((g.__qunfaAuth = undefined), Promise.reject(e)));
  return g.__qunfaAuth;
}
