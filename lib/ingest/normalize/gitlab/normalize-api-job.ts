import { keys } from "../keys.ts";
import { compact, date, id, latest, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized } from "../types.ts";
import { apiProjectId } from "./api-project-id.ts";
import { gitlabProjectFact, gitlabUserFact } from "./common.ts";

/** REST `GET /projects/:id/pipelines/:pipeline_id/jobs` item → the same CI job fact as the Job Hook. */
export function normalizeApiJob(body: TObj, fallbackAt: string, requestUrl: string | null): TNormalized {
  const projectId = apiProjectId(body, requestUrl);
  const jobId = id(body.id);
  if (!projectId || !jobId) return { status: "invalid", error: "REST job without id or project_id" };
  const status = str(body.status);
  const at = latest([date(body.created_at), date(body.started_at), date(body.finished_at)], fallbackAt);
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const user = obj(body.user);
  const userId = id(user?.id);
  const pipeline = obj(body.pipeline);
  const pipelineId = id(pipeline?.id);
  push(gitlabProjectFact(null, at, projectId));
  push(gitlabUserFact(user, at));
  const environment = obj(body.environment) ? str(obj(body.environment)?.name) : str(body.environment);
  push({
    type: "ci_job",
    key: keys.ciJob(projectId, jobId),
    at,
    rank: stateRank(status),
    data: compact({
      projectKey: keys.gitlabProject(projectId),
      pipelineKey: pipelineId ? keys.pipeline(projectId, pipelineId) : null,
      externalId: jobId,
      name: str(body.name),
      stage: str(body.stage),
      status,
      ref: str(body.ref) ?? str(pipeline?.ref),
      sha: str(pipeline?.sha) ?? str(obj(body.commit)?.id),
      environment,
      userKey: userId ? keys.gitlabUser(userId) : null,
      startedAt: date(body.started_at),
      finishedAt: date(body.finished_at),
    }),
  });
  return { status: "processed", facts, timeline: [] };
}
