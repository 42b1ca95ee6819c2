// @ts-check
// A .mjs config, not .ts: `next start` loads the config in the server process, and a TypeScript one
// made it load Next's SWC compiler to read it (~23 MB of RSS for the server's whole life), and the
// next-intl plugin's @swc/core another ~10 MB (bench/audience-import.ts, the console's memory budget).
import { PHASE_PRODUCTION_SERVER } from "next/constants.js";

/** @type {import("next").NextConfig} */
const nextConfig = {
  allowedDevOrigins: ["127.0.0.1"],
  // PGlite ships WASM and data files that must be loaded from node_modules at run time. better-auth,
  // zod, drizzle-orm, sanitize-html, fast-xml-parser and csv-parse (no React in them) are loaded from
  // node_modules too: bundled, each was copied into the server, the SSR and the route bundles and
  // loaded once per copy (the server's chunks 52 → 20 MB on disk; the console's memory budget).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pg-boss",
    "pg",
    "sharp",
    "better-auth",
    "zod",
    "drizzle-orm",
    "sanitize-html",
    "fast-xml-parser",
    "csv-parse",
  ],
  experimental: {
    // The largest action is the autosave of a news draft; see SERVER_ACTION_BODY_LIMIT in
    // lib/http/body-limit.ts (Next counts the body while reading it and stops at this size).
    serverActions: { bodySizeLimit: "9mb" },
    // forbidden() renders app/forbidden.tsx with status 403 for users without the role.
    authInterrupts: true,
  },
  poweredByHeader: false,
  // Framing, referrer and sniffing rules for every response. The console may not be framed
  // (clickjacking of its buttons); the sandbox's routes stand for WeChat's servers and set their
  // own policy (a header set here would win over the route's: Next keeps the first one set).
  // HSTS depends on how each request came (https, through trusted proxies), so it is sent by the
  // server (lib/auth/client-address.ts), not fixed here at build time.
  async headers() {
    const common = [
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "X-Content-Type-Options", value: "nosniff" },
    ];
    return [
      { source: "/sandbox-api/:path*", headers: common },
      {
        source: "/:path((?!sandbox-api/).*)",
        headers: [...common, { key: "Content-Security-Policy", value: "frame-ancestors 'none'" }, { key: "X-Frame-Options", value: "DENY" }],
      },
    ];
  },
};

/**
 * The next-intl plugin only wires `i18n/request.ts` into the bundles, at build (and dev) time; the
 * built server needs none of it, so `next start` does not load it.
 * @param {string} phase
 */
export default async function config(phase) {
  if (phase === PHASE_PRODUCTION_SERVER) return nextConfig;
  const { default: createNextIntlPlugin } = await import("next-intl/plugin");
  return createNextIntlPlugin("./i18n/request.ts")(nextConfig);
}
