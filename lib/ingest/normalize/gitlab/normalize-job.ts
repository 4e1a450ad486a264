import { keys } from "../keys.ts";
import { compact, date, id, latest, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized } from "../types.ts";
import { gitlabProjectFact, gitlabUserFact, userLabel } from "./common.ts";

/** Job Hook (object_kind "build") → one CI job and the user who ran it. */
export function normalizeJob(body: TObj, fallbackAt: string): TNormalized {
  const projectId = id(body.project_id) ?? id(obj(body.project)?.id);
  const jobId = id(body.build_id);
  if (!projectId || !jobId) return { status: "invalid", error: "Job Hook without build_id or project_id" };
  const status = str(body.build_status);
  const at = latest(
    [date(body.build_created_at_iso ?? body.build_created_at), date(body.build_started_at_iso ?? body.build_started_at), date(body.build_finished_at_iso ?? body.build_finished_at)],
    fallbackAt,
  );
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const user = obj(body.user);
  const userId = id(user?.id);
  push(gitlabProjectFact(body.project, at, projectId));
  push(gitlabUserFact(user, at));
  const pipelineId = id(body.pipeline_id) ?? id(obj(body.commit)?.id);
  const jobKey = keys.ciJob(projectId, jobId);
  const environment = str(obj(body.environment)?.name);
  push({
    type: "ci_job",
    key: jobKey,
    at,
    rank: stateRank(status),
    data: compact({
      projectKey: keys.gitlabProject(projectId),
      pipelineKey: pipelineId ? keys.pipeline(projectId, pipelineId) : null,
      externalId: jobId,
      name: str(body.build_name),
      stage: str(body.build_stage),
      status,
      ref: str(body.ref),
      sha: str(body.sha),
      environment,
      userKey: userId ? keys.gitlabUser(userId) : null,
      startedAt: date(body.build_started_at_iso ?? body.build_started_at),
      finishedAt: date(body.build_finished_at_iso ?? body.build_finished_at),
    }),
  });
  const path = str(obj(body.project)?.path_with_namespace);
  return {
    status: "processed",
    facts,
    timeline: [
      {
        kind: `job.${status ?? "updated"}`,
        at,
        title: `Job ${str(body.build_name) ?? jobId} #${jobId} ${status ?? "updated"}${environment ? ` (environment ${environment})` : ""}`,
        projectPath: path,
        environment,
        actorKey: userId ? keys.gitlabUser(userId) : null,
        actor: userLabel(user),
        sha: str(body.sha),
        refs: [jobId, ...(pipelineId ? [pipelineId] : []), ...(str(body.sha) ? [str(body.sha)!] : [])],
        entityType: "ci_job",
        entityKey: jobKey,
      },
    ],
  };
}
