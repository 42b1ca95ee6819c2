import fs from "node:fs";
import path from "node:path";

export interface AppRoute {
  /** URL with sample values in dynamic segments */
  url: string;
  /** the file's route pattern, e.g. /[accountId]/campaigns */
  pattern: string;
  kind: "page" | "route";
}

const SAMPLES: Record<string, string> = { accountId: "a0000000000000000", token: "x".repeat(32) };

/** Every page and route handler under app/, built from the file tree so no new page is forgotten. */
export function appRoutes(): AppRoute[] {
  const out: AppRoute[] = [];
  const walk = (dir: string, segs: string[]) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name.startsWith("_")) continue;
        walk(abs, e.name.startsWith("(") && e.name.endsWith(")") ? segs : [...segs, e.name]);
      } else if (/^(page|route)\.tsx?$/.test(e.name)) {
        const pattern = "/" + segs.join("/");
        const url =
          "/" +
          segs
            .map((s) => {
              const m = /^\[\[?\.{0,3}([^\]]+)\]\]?$/.exec(s);
              if (!m) return s;
              return SAMPLES[m[1]] ?? (s.startsWith("[...") || s.startsWith("[[...") ? "cgi-bin/token" : "x1");
            })
            .join("/");
        out.push({
          url: url === "/" ? "/" : url.replace(/\/$/, ""),
          pattern: pattern === "/" ? "/" : pattern,
          kind: e.name.startsWith("page") ? "page" : "route",
        });
      }
    }
  };
  walk(path.join(process.cwd(), "app"), []);
  return out;
}

/** Open to anonymous visitors by design: sign-in, first-run setup, invitation acceptance. */
export const PUBLIC_PAGES = new Set(["/sign-in", "/setup", "/invite/[token]"]);
/** Public by design: the liveness probe, which says "ok" and nothing else. */
export const PUBLIC_ROUTES = new Set(["/api/health"]);
/** Authenticated by WeChat's signature or the sandbox's access_token instead of a session. */
export const SIGNATURE_ROUTES = [/^\/api\/wechat\/callback\//, /^\/sandbox-api\//];
