import type { NextConfig } from "next";
import { securityHeaders } from "./lib/shared/security-headers.ts";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  productionBrowserSourceMaps: false,
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "graphile-worker", "pg"],
  // The app build checks app code only; `npm run typecheck` covers tests, bench and scripts too.
  typescript: { ignoreBuildErrors: false, tsconfigPath: "tsconfig.next.json" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
