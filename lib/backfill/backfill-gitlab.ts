import "server-only";
import { ApiRequestError } from "./api-request.ts";
import type { TGitlabApi } from "./create-gitlab-api.ts";
import type { TRunContext } from "./create-run-context.ts";

const PER_PAGE = 50;
type TItem = Record<string, unknown>;
type TPage = { data: TItem[]; paginationInfo: { next: number | null } };

/** The numeric ids of the projects a scope entry names: a project path, or a group path (with subgroups). */
async function resolveProjects(api: TGitlabApi, entry: string): Promise<{ id: number; path: string }[]> {
  try {
    const project = (await api.Projects.show(entry)) as unknown as TItem;
    return [{ id: Number(project.id), path: String(project.path_with_namespace ?? entry) }];
  } catch (error) {
    if (!(error instanceof ApiRequestError && error.status === 404)) throw error;
  }
  const projects = (await api.Groups.allProjects(entry, { includeSubgroups: true, archived: false, perPage: 100 })) as unknown as TItem[];
  return projects.map((p) => ({ id: Number(p.id), path: String(p.path_with_namespace) }));
}

/**
 * Reads one time window of each project from GitLab's REST API, a page at a time, and stores every
 * object as an `api.*` delivery: merge requests updated in the window with their approvals,
 * pipelines updated in the window (each read whole, for its user and finish time) with all their jobs,
 * and deployments updated in the window. After each page the run's cursor records the next page, so
 * a crash resumes there; the objects of a page read twice dedupe.
 */
export async function backfillGitlab(api: TGitlabApi, ctx: TRunContext, scopes: string[], baseUrl: string): Promise<void> {
  const projects = new Map<number, string>();
  for (const scope of scopes) for (const p of await resolveProjects(api, scope)) projects.set(p.id, p.path);
  const resources = ["merge_requests", "pipelines", "deployments"] as const;
  const units: Record<string, number> = {};
  for (const id of [...projects.keys()].sort((a, b) => a - b)) for (const resource of resources) units[`gitlab:${id}:${resource}`] = 1;
  await ctx.plan(units);
  const window = { updatedAfter: ctx.windowFrom.toISOString(), updatedBefore: ctx.windowTo.toISOString() };
  const api4 = `${baseUrl}/api/v4/projects`;
  const paging = (page: number) => ({ perPage: PER_PAGE, page, maxPages: 1, showExpanded: true as const });

  for (const unit of Object.keys(units)) {
    const [, idText, resource] = unit.split(":") as [string, string, (typeof resources)[number]];
    const projectId = Number(idText);
    let page = ctx.cursor[unit];
    while (typeof page === "number") {
      if (resource === "merge_requests") {
        const result = (await api.MergeRequests.all({ projectId, scope: "all", ...window, ...paging(page) })) as unknown as TPage;
        for (const mr of result.data) {
          const iid = Number(mr.iid);
          await ctx.store({ source: "gitlab", eventType: "api.merge_request", url: `${api4}/${projectId}/merge_requests/${iid}`, body: mr });
          const approvals = await api.MergeRequestApprovals.showConfiguration(projectId, { mergerequestIId: iid });
          await ctx.store({ source: "gitlab", eventType: "api.merge_request_approvals", url: `${api4}/${projectId}/merge_requests/${iid}/approvals`, body: approvals });
        }
        page = result.paginationInfo.next ?? "done";
      } else if (resource === "pipelines") {
        const result = (await api.Pipelines.all(projectId, { ...window, orderBy: "updated_at", sort: "asc", ...paging(page) })) as unknown as TPage;
        for (const brief of result.data) {
          const pipelineId = Number(brief.id);
          const pipeline = await api.Pipelines.show(projectId, pipelineId);
          await ctx.store({ source: "gitlab", eventType: "api.pipeline", url: `${api4}/${projectId}/pipelines/${pipelineId}`, body: pipeline });
          let jobPage: number | null = 1;
          while (jobPage !== null) {
            const jobs = (await api.Jobs.all(projectId, { pipelineId, ...paging(jobPage) })) as unknown as TPage;
            for (const job of jobs.data) await ctx.store({ source: "gitlab", eventType: "api.job", url: `${api4}/${projectId}/jobs/${job.id}`, body: job });
            jobPage = jobs.paginationInfo.next;
          }
        }
        page = result.paginationInfo.next ?? "done";
      } else {
        const result = (await api.Deployments.all(projectId, { ...window, orderBy: "updated_at", sort: "asc", ...paging(page) })) as unknown as TPage;
        for (const deployment of result.data) {
          await ctx.store({ source: "gitlab", eventType: "api.deployment", url: `${api4}/${projectId}/deployments/${deployment.id}`, body: deployment });
        }
        page = result.paginationInfo.next ?? "done";
      }
      await ctx.checkpoint(unit, page);
    }
  }
}
