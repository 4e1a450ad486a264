import { inWindow, paginate, startMockRestServer, type TMockControls, type TRateLimit } from "./mock-rest-server.ts";

// A local GitLab REST v4 for backfill tests: the endpoints Custody reads, with their documented
// filters, offset pagination (x-next-page, x-total, Link) and rate limiting (RateLimit-* headers,
// 429 with Retry-After). Docs: docs.gitlab.com/api/{projects,groups,merge_requests,
// merge_request_approvals,pipelines,jobs,deployments}, /api/rest/#pagination, /security/rate_limits.
//   GET /api/v4/projects/:id-or-encoded-path
//   GET /api/v4/groups/:encoded-path/projects?include_subgroups=true
//   GET /api/v4/projects/:id/merge_requests?updated_after&updated_before&scope=all
//   GET /api/v4/projects/:id/merge_requests/:iid/approvals
//   GET /api/v4/projects/:id/pipelines?updated_after&updated_before   and /pipelines/:id, /pipelines/:id/jobs
//   GET /api/v4/projects/:id/deployments?updated_after&updated_before&order_by=updated_at

type TObj = Record<string, unknown>;

export type TGitlabApiData = {
  projects: TObj[];
  groups: Record<string, number[]>;
  mergeRequests: TObj[];
  approvals: TObj[];
  pipelines: TObj[];
  jobs: TObj[];
  deployments: TObj[];
};

export async function startMockGitlabApi(data: TGitlabApiData, options: { token?: string; rateLimit?: Partial<TRateLimit>; maxPerPage?: number } = {}): Promise<TMockControls> {
  const token = options.token ?? "glpat-backfill-test";
  const rateLimit: TRateLimit = { limit: 1000, windowSeconds: 1, style: "gitlab", ...options.rateLimit };
  let base = "";
  const server = await startMockRestServer({
    authorized: (req) => req.headers["private-token"] === token,
    rateLimit,
    route: (path, query) => {
      const self = `${base}${path}?${query.toString()}`;
      const page = <T>(items: T[]) => ({ status: 200, ...paginate(items, query, self, "gitlab", options.maxPerPage) });
      const updated = (o: TObj) => inWindow(o.updated_at, query.get("updated_after"), query.get("updated_before"));
      let m = /^\/api\/v4\/groups\/([^/]+)\/projects$/.exec(path);
      if (m) {
        const ids = data.groups[decodeURIComponent(m[1]!)];
        return ids ? page(data.projects.filter((p) => ids.includes(Number(p.id)))) : null;
      }
      m = /^\/api\/v4\/projects\/([^/]+)(\/.*)?$/.exec(path);
      if (!m) return null;
      const ref = decodeURIComponent(m[1]!);
      const project = data.projects.find((p) => String(p.id) === ref || p.path_with_namespace === ref);
      if (!project) return null;
      const pid = Number(project.id);
      const rest = m[2] ?? "";
      if (rest === "") return { status: 200, body: project };
      if (rest === "/merge_requests") return page(data.mergeRequests.filter((mr) => mr.project_id === pid && updated(mr)));
      if ((m = /^\/merge_requests\/(\d+)\/approvals$/.exec(rest))) {
        const approvals = data.approvals.find((a) => a.project_id === pid && a.iid === Number(m![1]));
        return approvals ? { status: 200, body: approvals } : null;
      }
      if (rest === "/pipelines") {
        const briefs = data.pipelines.filter((p) => p.project_id === pid && updated(p)).map(({ id, iid, project_id, sha, ref: r, status, source, created_at, updated_at, web_url }) => ({ id, iid, project_id, sha, ref: r, status, source, created_at, updated_at, web_url }));
        return page(briefs);
      }
      if ((m = /^\/pipelines\/(\d+)$/.exec(rest))) {
        const pipeline = data.pipelines.find((p) => p.project_id === pid && p.id === Number(m![1]));
        return pipeline ? { status: 200, body: pipeline } : null;
      }
      if ((m = /^\/pipelines\/(\d+)\/jobs$/.exec(rest))) return page(data.jobs.filter((j) => (j.pipeline as TObj).project_id === pid && (j.pipeline as TObj).id === Number(m![1])));
      if (rest === "/deployments") return page(data.deployments.filter((d) => d.__project_id === pid && updated(d)).map(({ __project_id, ...d }) => d));
      return null;
    },
  });
  base = server.url;
  return server;
}
