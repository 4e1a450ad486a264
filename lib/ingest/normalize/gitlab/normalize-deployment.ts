import { keys } from "../keys.ts";
import { compact, date, id, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized } from "../types.ts";
import { gitlabProjectFact, gitlabUserFact, projectPath, userLabel } from "./common.ts";

/** Deployment Hook → a deployment. The hook has no full SHA; `commit_url` ends with it. */
export function normalizeDeployment(body: TObj, fallbackAt: string): TNormalized {
  const project = obj(body.project);
  const projectId = id(project?.id);
  const deploymentId = id(body.deployment_id);
  const environment = str(body.environment);
  if (!projectId || !deploymentId || !environment) {
    return { status: "invalid", error: "Deployment Hook without deployment_id, environment or project.id" };
  }
  const status = str(body.status);
  const at = date(body.status_changed_at) ?? fallbackAt;
  const commitUrl = str(body.commit_url);
  const fullSha = commitUrl?.match(/\/commit\/([0-9a-f]{40})\b/)?.[1] ?? null;
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const user = obj(body.user);
  const userId = id(user?.id);
  push(gitlabProjectFact(project, at));
  push(gitlabUserFact(user, at));
  const deployableId = id(body.deployable_id);
  const key = keys.gitlabDeployment(projectId, deploymentId);
  push({
    type: "deployment",
    key,
    at,
    rank: stateRank(status),
    data: compact({
      provider: "gitlab",
      externalId: `${projectId}:${deploymentId}`,
      projectKey: keys.gitlabProject(projectId),
      environment,
      status,
      commitSha: fullSha,
      shortSha: str(body.short_sha),
      jobExternalId: deployableId,
      triggeredByKey: userId ? keys.gitlabUser(userId) : null,
      webUrl: str(body.deployable_url) ?? str(body.environment_external_url),
      startedAt: status === "running" ? at : null,
      finishedAt: status === "success" || status === "failed" || status === "canceled" ? at : null,
      occurredAt: at,
    }),
  });
  const path = projectPath(body);
  return {
    status: "processed",
    facts,
    timeline: [
      {
        kind: `deployment.${status ?? "updated"}`,
        at,
        title: `Deploy of ${path ?? projectId} to ${environment} ${status ?? "updated"} (${str(body.short_sha) ?? "?"})`,
        projectPath: path,
        environment,
        actorKey: userId ? keys.gitlabUser(userId) : null,
        actor: userLabel(user),
        sha: fullSha ?? str(body.short_sha),
        refs: [deploymentId, ...(deployableId ? [deployableId] : []), ...(str(body.short_sha) ? [str(body.short_sha)!] : [])],
        entityType: "deployment",
        entityKey: key,
      },
    ],
  };
}
