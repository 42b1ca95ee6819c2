/**
 * A state-changing request whose Origin is another site's. Server actions get this check from Next;
 * route handlers (uploads, draft saves) do it here, on top of the SameSite session cookie. A request
 * without Origin (curl, very old browsers) is judged by its session alone.
 */
export function isCrossSiteWrite(req: Request): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const origin = req.headers.get("origin");
  if (!origin) return false;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
