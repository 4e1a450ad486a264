import "server-only";
import { apiRequest } from "./api-request.ts";
import type { TRunContext } from "./create-run-context.ts";

const PER_PAGE = 100;

/** The `rel="next"` URL of an RFC 8288 Link header, as Buildkite paginates. */
function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1]!;
  }
  return null;
}

/**
 * Reads one time window of each pipeline from Buildkite's REST API (`GET …/pipelines/{slug}/builds`,
 * jobs included, retried jobs too) and stores every build as an `api.build.full` delivery. Two passes
 * per pipeline, builds created in the window and builds finished in it, so a long build that started
 * before the window is not missed. Follows the Link header a page at a time; the run's cursor keeps
 * the next page URL, so a crash resumes there. Rate limits (200 requests a minute per organization)
 * are honoured by `apiRequest`.
 */
export async function backfillBuildkite(
  config: { apiUrl: string; token: string; org: string; timeoutMs: number },
  ctx: TRunContext,
  pipelines: string[],
): Promise<void> {
  const from = ctx.windowFrom.toISOString();
  const to = ctx.windowTo.toISOString();
  const units: Record<string, string> = {};
  const bases: Record<string, string> = {};
  for (const slug of pipelines) {
    const base = `${config.apiUrl}/v2/organizations/${encodeURIComponent(config.org)}/pipelines/${encodeURIComponent(slug)}/builds`;
    bases[`buildkite:${slug}:created`] = bases[`buildkite:${slug}:finished`] = base;
    const common = `per_page=${PER_PAGE}&include_retried_jobs=true`;
    units[`buildkite:${slug}:created`] = `${base}?${common}&created_from=${encodeURIComponent(from)}&created_to=${encodeURIComponent(to)}`;
    units[`buildkite:${slug}:finished`] = `${base}?${common}&finished_from=${encodeURIComponent(from)}`;
  }
  await ctx.plan(units);
  for (const unit of Object.keys(units)) {
    let next = ctx.cursor[unit];
    while (typeof next === "string" && next !== "done") {
      const pageUrl: string = next;
      const response = await apiRequest(
        pageUrl,
        { method: "GET", headers: { authorization: `Bearer ${config.token}`, accept: "application/json" }, timeoutMs: config.timeoutMs },
        { onRequest: ctx.countRequest },
      );
      const builds = (await response.json()) as unknown;
      if (!Array.isArray(builds)) throw new Error(`GET ${new URL(pageUrl).pathname} did not answer a list of builds`);
      for (const build of builds as Record<string, unknown>[]) {
        // A build finished after the window's end belongs to a later window.
        if (unit.endsWith(":finished") && typeof build.finished_at === "string" && Date.parse(build.finished_at) > ctx.windowTo.getTime()) continue;
        // The build's own REST URL on the configured host (BUILDKITE_API_URL may be a proxy), whichever
        // host the Link header's next page named: the same build reads as one object in both passes.
        const url = `${bases[unit]}/${build.number}`;
        await ctx.store({ source: "buildkite", eventType: "api.build.full", url, pageUrl, body: build });
      }
      next = nextLink(response.headers.get("link")) ?? "done";
      await ctx.checkpoint(unit, next);
    }
  }
}
