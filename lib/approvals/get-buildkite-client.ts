import "server-only";
import { getEnv } from "@/lib/env";
import { createBuildkiteClient, type TBuildkiteClient } from "./create-buildkite-client.ts";

/** The configured Buildkite client, or why approving through Buildkite is off. */
export function getBuildkiteClient(): { ok: true; client: TBuildkiteClient; org: string } | { ok: false; detail: string } {
  const env = getEnv();
  if (!env.BUILDKITE_API_TOKEN || !env.BUILDKITE_ORG) {
    const missing = [!env.BUILDKITE_API_TOKEN && "BUILDKITE_API_TOKEN", !env.BUILDKITE_ORG && "BUILDKITE_ORG"].filter(Boolean).join(" and ");
    return { ok: false, detail: `Approving from Custody is off: an admin must set ${missing} (a Buildkite API token with write_builds and read_builds).` };
  }
  return {
    ok: true,
    org: env.BUILDKITE_ORG,
    client: createBuildkiteClient({ apiUrl: env.BUILDKITE_API_URL, token: env.BUILDKITE_API_TOKEN, org: env.BUILDKITE_ORG, timeoutMs: env.BUILDKITE_API_TIMEOUT * 1000 }),
  };
}
