import { inWindow, paginate, startMockRestServer, type TMockControls, type TRateLimit } from "./mock-rest-server.ts";

// A local Buildkite REST v2 for backfill tests: list builds of a pipeline with the documented filters
// (created_from, created_to, finished_from), jobs included, Link-header pagination and the rate limit
// (RateLimit-Remaining/-Limit/-Reset in seconds, 429 when exceeded). Docs: buildkite.com/docs/apis/
// rest-api/builds, /apis/rest-api/limits, /apis/rest-api#pagination.
//   GET /v2/organizations/:org/pipelines/:slug/builds

type TObj = Record<string, unknown>;

export async function startMockBuildkiteApi(
  builds: TObj[],
  options: { token?: string; org?: string; rateLimit?: Partial<TRateLimit>; maxPerPage?: number } = {},
): Promise<TMockControls> {
  const token = options.token ?? "bkua_backfill_test";
  const org = options.org ?? "acme";
  const rateLimit: TRateLimit = { limit: 200, windowSeconds: 60, style: "buildkite", ...options.rateLimit };
  let base = "";
  const server = await startMockRestServer({
    authorized: (req) => req.headers.authorization === `Bearer ${token}`,
    rateLimit,
    route: (path, query) => {
      const m = /^\/v2\/organizations\/([^/]+)\/pipelines\/([^/]+)\/builds$/.exec(path);
      if (!m || m[1] !== org) return null;
      const slug = decodeURIComponent(m[2]!);
      const matching = builds
        .filter((b) => (b.pipeline as TObj).slug === slug)
        .filter((b) => !query.get("created_from") && !query.get("created_to") || inWindow(b.created_at, query.get("created_from"), query.get("created_to")))
        .filter((b) => !query.get("finished_from") || inWindow(b.finished_at, query.get("finished_from"), null))
        .sort((a, b) => Number(b.number) - Number(a.number));
      return { status: 200, ...paginate(matching, query, `${base}${path}?${query.toString()}`, "buildkite", options.maxPerPage) };
    },
  });
  base = server.url;
  return server;
}
