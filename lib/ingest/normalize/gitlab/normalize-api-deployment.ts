import { keys } from "../keys.ts";
import { compact, date, id, latest, obj, str, type TObj } from "../fields.ts";
import { stateRank } from "../state-rank.ts";
import type { TFact, TNormalized } from "../types.ts";
import { apiProjectId } from "./api-project-id.ts";
import { gitlabProjectFact, gitlabUserFact } from "./common.ts";

const terminal = new Set(["success", "failed", "canceled", "skipped"]);

/**
 * REST `GET /projects/:id/deployments` item → the same deployment fact as the Deployment Hook. The
 * status change time is `updated_at` (REST has no `status_changed_at`); the short SHA is the first 8
 * characters of `sha`, as GitLab abbreviates it in the hook.
 */
export function normalizeApiDeployment(body: TObj, fallbackAt: string, requestUrl: string | null): TNormalized {
  const projectId = apiProjectId(body, requestUrl);
  const deploymentId = id(body.id);
  const environment = str(obj(body.environment)?.name);
  if (!projectId || !deploymentId || !environment) return { status: "invalid", error: "REST deployment without id, environment or project" };
  const status = str(body.status);
  const at = latest([date(body.updated_at)], fallbackAt);
  const sha = str(body.sha);
  const facts: TFact[] = [];
  const push = (fact: TFact | null) => fact && facts.push(fact);
  const user = obj(body.user);
  const userId = id(user?.id);
  const deployable = obj(body.deployable);
  push(gitlabProjectFact(null, at, projectId));
  push(gitlabUserFact(user, at));
  push({
    type: "deployment",
    key: keys.gitlabDeployment(projectId, deploymentId),
    at,
    rank: stateRank(status),
    data: compact({
      provider: "gitlab",
      externalId: `${projectId}:${deploymentId}`,
      projectKey: keys.gitlabProject(projectId),
      environment,
      status,
      commitSha: sha && /^[0-9a-f]{40}$/.test(sha) ? sha : null,
      shortSha: sha ? sha.slice(0, 8) : null,
      jobExternalId: id(deployable?.id),
      triggeredByKey: userId ? keys.gitlabUser(userId) : null,
      webUrl: str(deployable?.web_url),
      finishedAt: status && terminal.has(status) ? (date(body.finished_at) ?? at) : null,
      occurredAt: at,
    }),
  });
  return { status: "processed", facts, timeline: [] };
}
