const BASE = "http://qunfa.invalid";

/**
 * Where to go after signing in: a path on this site, or `fallback`. Judged after URL parsing, the
 * way the browser will read it: browsers drop tabs and newlines from URLs and read `\` as `/`, so
 * `/\t/evil.example/` and `/\evil.example` are other sites. Anything that does not parse back to
 * our own origin and a single-slash path is refused, and what is returned is the parsed form.
 */
export function safeNextPath(next: unknown, fallback = "/"): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return fallback;
  if (!next.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  let u: URL;
  try {
    u = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (u.origin !== BASE || u.pathname.startsWith("//") || u.username || u.password) return fallback;
  return `${u.pathname}${u.search}${u.hash}`;
}

/** The sign-in page's address that comes back to `path` (path and query of this site) afterwards. */
export function signInUrlFor(path: string | null | undefined): string {
  const next = path ? safeNextPath(path, "") : "";
  return next && next !== "/" ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in";
}
