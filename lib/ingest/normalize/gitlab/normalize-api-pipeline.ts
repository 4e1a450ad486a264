import { keys } from "../keys.ts";
import { compact, date, id, int, latest, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized } from "../types.ts";
import { apiProjectId } from "./api-project-id.ts";
import { gitlabProjectFact, gitlabUserFact } from "./common.ts";

/** REST `GET /projects/:id/pipelines/:pipeline_id` → the same pipeline fact as the Pipeline Hook (jobs come from `api.job`). */
export function normalizeApiPipeline(body: TObj, fallbackAt: string, requestUrl: string | null): TNormalized {
  const projectId = apiProjectId(body, requestUrl);
  const pipelineId = id(body.id);
  if (!projectId || !pipelineId) return { status: "invalid", error: "REST pipeline without id or project_id" };
  const status = str(body.status);
  const at = latest([date(body.created_at), date(body.finished_at)], fallbackAt);
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const user = obj(body.user);
  const userId = id(user?.id);
  push(gitlabProjectFact(null, at, projectId));
  push(gitlabUserFact(user, at));
  const ref = str(body.ref);
  push({
    type: "pipeline",
    key: keys.pipeline(projectId, pipelineId),
    at,
    rank: stateRank(status),
    data: compact({
      projectKey: keys.gitlabProject(projectId),
      externalId: pipelineId,
      iid: int(body.iid),
      ref,
      sha: str(body.sha),
      beforeSha: str(body.before_sha),
      source: str(body.source),
      status,
      mergeRequestIid: int(ref?.match(/^refs\/merge-requests\/(\d+)\//)?.[1]),
      triggeredByKey: userId ? keys.gitlabUser(userId) : null,
      webUrl: str(body.web_url),
      createdAt: date(body.created_at),
      finishedAt: date(body.finished_at),
    }),
  });
  return { status: "processed", facts, timeline: [] };
}
