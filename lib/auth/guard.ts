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
import { REQUESTED_URL_HEADER } from "./client-address";
import { signInUrlFor } from "./safe-next";

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

/** The path and query this request asked for, without Next's own `_rsc` marker. */
export function requestedPath(h: Headers): string | null {
  const raw = h.get(REQUESTED_URL_HEADER);
  if (!raw || !raw.startsWith("/")) return null;
  const u = new URL(raw, "http://qunfa.invalid");
  u.searchParams.delete("_rsc");
  return `${u.pathname}${u.search}`;
}

/**
 * For pages and layouts: anonymous → sign-in, which comes back to the page asked for (or first-run
 * setup); lacking the role → 403 page.
 */
export async function requirePageUser(permission: Permission = "read", returnTo?: string): Promise<CurrentUser> {
  const u = await getCurrentUser();
  if (!u) {
    if (!(await hasAnyUser())) redirect("/setup");
    redirect(signInUrlFor(returnTo ?? requestedPath(await headers())));
  }
  if (!can(u.role, permission)) forbidden();
  return u;
}

// Pages below a loading.tsx render inside its Suspense boundary: by the time such a page calls
// forbidden(), the loading state has been sent with status 200, and the "access denied" page
// follows in the stream. Their layout, outside that boundary, checks these with the requested
// path, so the refusal comes before anything is sent and the response is a 403. The page keeps
// its own check too (client navigations do not run the layout again).
const PAGE_PERMISSIONS: [RegExp, Permission][] = [[/^\/[^/]+\/campaigns\/new\/?$/, "edit"]];

/** The permission a page below an account needs, by its path (read unless listed above). */
export function pagePermissionFor(path: string | null): Permission {
  const pathname = path?.split("?")[0] ?? "";
  return PAGE_PERMISSIONS.find(([re]) => re.test(pathname))?.[1] ?? "read";
}

/** requirePageUser for a layout whose pages stream: the permission of the page being asked for. */
export async function requireLayoutUser(): Promise<CurrentUser> {
  return requirePageUser(pagePermissionFor(requestedPath(await headers())));
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

/**
 * A person opening a link (a CSV export, a media file) rather than a script calling: a GET that
 * asks for an HTML page. They are sent to sign in and back; scripts get 401 JSON.
 */
function isBrowserNavigation(req: Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const accept = req.headers.get("accept") ?? "";
  return accept.includes("text/html") && !accept.startsWith("application/json");
}

/**
 * Route handler wrapper: 401/403 JSON for anyone without the permission (or writing cross-site);
 * an anonymous person opening the route in the browser goes to sign-in instead.
 */
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
      if (e instanceof AuthError) {
        const req = args[0];
        if (e.status === 401 && req instanceof Request && isBrowserNavigation(req)) {
          const u = new URL(req.url);
          return new Response(null, { status: 302, headers: { location: signInUrlFor(`${u.pathname}${u.search}`), "cache-control": "no-store" } });
        }
        return Response.json({ error: e.message }, { status: e.status });
      }
      throw e;
    }
  };
}
