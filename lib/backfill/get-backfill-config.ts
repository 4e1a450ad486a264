import "server-only";
import type { TBackfillSourceName } from "@/lib/contracts/backfills";
import { getEnv } from "@/lib/env";

/** A source that can be backfilled, as the API contract names it. */
export type TBackfillSource = TBackfillSourceName;

export type TBackfillConfig =
  | { ok: true; source: "gitlab"; url: string; token: string; scopes: string[]; timeoutMs: number }
  | { ok: true; source: "buildkite"; apiUrl: string; token: string; org: string; pipelines: string[]; timeoutMs: number }
  | { ok: false; source: TBackfillSource; detail: string };

/** What a source needs to be read through its API, or which settings are missing. */
export function getBackfillConfig(source: TBackfillSource): TBackfillConfig {
  const env = getEnv();
  if (source === "gitlab") {
    const missing = [!env.GITLAB_API_TOKEN && "GITLAB_API_TOKEN", !env.GITLAB_BACKFILL_PROJECTS.length && "GITLAB_BACKFILL_PROJECTS"].filter(Boolean);
    if (missing.length) return { ok: false, source, detail: `GitLab backfill is off: set ${missing.join(" and ")} (a read_api token, and the projects or groups to cover).` };
    return { ok: true, source, url: env.GITLAB_URL, token: env.GITLAB_API_TOKEN!, scopes: env.GITLAB_BACKFILL_PROJECTS, timeoutMs: 30_000 };
  }
  const missing = [!env.BUILDKITE_API_TOKEN && "BUILDKITE_API_TOKEN", !env.BUILDKITE_ORG && "BUILDKITE_ORG", !env.BUILDKITE_BACKFILL_PIPELINES.length && "BUILDKITE_BACKFILL_PIPELINES"].filter(Boolean);
  if (missing.length) return { ok: false, source, detail: `Buildkite backfill is off: set ${missing.join(", ")} (a read_builds token, the organization and the pipelines).` };
  return {
    ok: true,
    source,
    apiUrl: env.BUILDKITE_API_URL,
    token: env.BUILDKITE_API_TOKEN!,
    org: env.BUILDKITE_ORG!,
    pipelines: env.BUILDKITE_BACKFILL_PIPELINES,
    timeoutMs: env.BUILDKITE_API_TIMEOUT * 1000,
  };
}
