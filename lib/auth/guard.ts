import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { count } from "drizzle-orm";
import { getDb } from "@/db/client";
import { user as userTable } from "@/db/schema";
import { getAuth } from "./auth";
import { can, isRole, type Permission, type Role } from "./permissions";
import { isCrossSiteWrite } from "./same-origin";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  wechatId: string | null;
  previewOpenid: string | null;
}

/** The signed-in user of this request, or null. Banned users and unknown roles count as nobody. */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const h = await headers();
  const auth = await getAuth();
  const s = await auth.api.getSession({ headers: h });
  if (!s) return null;
  const u = s.user as typeof s.user & { role?: string; banned?: boolean | null; wechatId?: string | null; previewOpenid?: string | null };
  if (u.banned || !isRole(u.role)) return null;
  return { id: u.id, email: u.email, name: u.name, role: u.role, wechatId: u.wechatId ?? null, previewOpenid: u.previewOpenid ?? null };
});

export async function hasAnyUser(): Promise<boolean> {
  // headers() first: it makes the page (setup, sign-in) dynamic, so `next build` does not try to
  // prerender it and open the database in its worker (which then held the data folder's lock).
  await headers();
  const db = await getDb();
  const [r] = await db.select({ n: count() }).from(userTable);
  return (r?.n ?? 0) > 0;
}

/** For pages and layouts: anonymous → sign-in (or first-run setup); lacking the role → 403 page. */
export async function requirePageUser(permission: Permission = "read", returnTo?: string): Promise<CurrentUser> {
  const u = await getCurrentUser();
  if (!u) {
    if (!(await hasAnyUser())) redirect("/setup");
    redirect(returnTo ? `/sign-in?next=${encodeURIComponent(returnTo)}` : "/sign-in");
  }
  if (!can(u.role, permission)) forbidden();
  return u;
}

export class AuthError extends Error {
  constructor(readonly status: 401 | 403) {
    super(status === 401 ? "unauthenticated" : "forbidden");
  }
}

/** For server actions and route handlers: throws AuthError instead of rendering. */
export async function requireUser(permission: Permission = "read"): Promise<CurrentUser> {
  const u = await getCurrentUser();
  if (!u) throw new AuthError(401);
  if (!can(u.role, permission)) throw new AuthError(403);
  return u;
}

/** Route handler wrapper: 401/403 JSON for anyone without the permission (or writing cross-site). */
export function withRouteUser<A extends unknown[]>(
  permission: Permission,
  handler: (user: CurrentUser, ...args: A) => Promise<Response>,
): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      const req = args[0];
      if (req instanceof Request && isCrossSiteWrite(req)) return Response.json({ error: "cross-site request refused" }, { status: 403 });
      const u = await requireUser(permission);
      return await handler(u, ...args);
    } catch (e) {
      if (e instanceof AuthError) return Response.json({ error: e.message }, { status: e.status });
      throw e;
    }
  };
}
