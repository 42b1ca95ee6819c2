import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  allowedDevOrigins: ["127.0.0.1"],
  // PGlite ships WASM and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg-boss", "pg", "sharp"],
  experimental: {
    serverActions: { bodySizeLimit: "60mb" },
    // forbidden() renders app/forbidden.tsx with status 403 for users without the role.
    authInterrupts: true,
  },
  poweredByHeader: false,
};

export default withNextIntl(nextConfig);
