import { keys } from "../keys.ts";
import { arr, compact, date, id, int, latest, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized } from "../types.ts";
import { gitlabProjectFact, gitlabUserFact, projectPath, userLabel } from "./common.ts";

/** Pipeline Hook → the pipeline, its jobs (latest attempts) and who triggered them. */
export function normalizePipeline(body: TObj, fallbackAt: string): TNormalized {
  const attrs = obj(body.object_attributes);
  const project = obj(body.project);
  const projectId = id(project?.id);
  const pipelineId = id(attrs?.id);
  if (!attrs || !projectId || !pipelineId) return { status: "invalid", error: "Pipeline Hook without object_attributes.id or project.id" };
  const status = str(attrs.status);
  const at = latest([date(attrs.created_at), date(attrs.finished_at)], fallbackAt);
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const user = obj(body.user);
  const userId = id(user?.id);
  push(gitlabProjectFact(project, at));
  push(gitlabUserFact(user, at));
  const mr = obj(body.merge_request);
  const pipelineKey = keys.pipeline(projectId, pipelineId);
  push({
    type: "pipeline",
    key: pipelineKey,
    at,
    rank: stateRank(status),
    data: compact({
      projectKey: keys.gitlabProject(projectId),
      externalId: pipelineId,
      iid: int(attrs.iid),
      ref: str(attrs.ref),
      sha: str(attrs.sha),
      beforeSha: str(attrs.before_sha),
      source: str(attrs.source),
      status,
      mergeRequestIid: int(mr?.iid),
      triggeredByKey: userId ? keys.gitlabUser(userId) : null,
      webUrl: str(attrs.url),
      createdAt: date(attrs.created_at),
      finishedAt: date(attrs.finished_at),
    }),
  });
  for (const raw of arr(body.builds)) {
    const build = obj(raw);
    const jobId = id(build?.id);
    if (!build || !jobId) continue;
    const jobUser = obj(build.user);
    const jobUserId = id(jobUser?.id);
    push(gitlabUserFact(jobUser, at));
    const jobStatus = str(build.status);
    push({
      type: "ci_job",
      key: keys.ciJob(projectId, jobId),
      at: latest([date(build.created_at), date(build.started_at), date(build.finished_at)], at),
      rank: stateRank(jobStatus),
      data: compact({
        projectKey: keys.gitlabProject(projectId),
        pipelineKey,
        externalId: jobId,
        name: str(build.name),
        stage: str(build.stage),
        status: jobStatus,
        ref: str(attrs.ref),
        sha: str(attrs.sha),
        environment: str(obj(build.environment)?.name),
        userKey: jobUserId ? keys.gitlabUser(jobUserId) : null,
        startedAt: date(build.started_at),
        finishedAt: date(build.finished_at),
      }),
    });
  }
  const path = projectPath(body);
  return {
    status: "processed",
    facts,
    timeline: [
      {
        kind: `pipeline.${status ?? "updated"}`,
        at,
        title: `Pipeline #${pipelineId} ${status ?? "updated"} on ${str(attrs.ref) ?? "?"} (${path ?? projectId})${mr ? ` for !${int(mr.iid)}` : ""}`,
        projectPath: path,
        actorKey: userId ? keys.gitlabUser(userId) : null,
        actor: userLabel(user),
        sha: str(attrs.sha),
        refs: [pipelineId, `#${pipelineId}`, ...(str(attrs.sha) ? [str(attrs.sha)!] : []), ...(str(attrs.ref) ? [str(attrs.ref)!] : [])],
        entityType: "pipeline",
        entityKey: pipelineKey,
      },
    ],
  };
}
