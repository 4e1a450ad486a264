import "server-only";
import { db } from "@/lib/db";
import type { TPipelineDetail } from "@/lib/contracts/provenance";
import { findEvidence } from "./find-evidence.ts";
import { findLinkedDeployments } from "./find-linked-deployments.ts";
import { toAccountRef } from "./to-account-ref.ts";

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * A GitLab pipeline by project path and pipeline id: its jobs and who ran them, the merge requests
 * of its commit, the Buildkite builds it started (GITLAB_PIPELINE_ID), the deployments it or those
 * builds made, and its deliveries. Null when Custody has not seen it.
 */
export async function getPipeline(projectPath: string, externalId: string): Promise<TPipelineDetail | null> {
  if (!/^[0-9]{1,20}$/.test(externalId)) return null;
  const pipeline = await db.pipeline.findFirst({
    where: { externalId, project: { path: projectPath } },
    include: { project: true, triggeredBy: true, jobs: { include: { user: true }, orderBy: [{ startedAt: "asc" }, { externalId: "asc" }] } },
  });
  if (!pipeline) return null;
  const sha = pipeline.sha;
  const mergeRequests = await db.mergeRequest.findMany({
    where: {
      projectId: pipeline.projectId,
      OR: [...(sha ? [{ mergeCommitSha: sha }, { squashCommitSha: sha }, { headSha: sha }] : []), ...(pipeline.mergeRequestIid ? [{ iid: pipeline.mergeRequestIid }] : [])],
    },
    orderBy: { iid: "asc" },
    take: 50,
  });
  const builds = await db.build.findMany({ where: { gitlabPipelineId: pipeline.externalId }, orderBy: { number: "asc" }, take: 200 });
  const deployments = await findLinkedDeployments({
    pipelineExternalIds: [pipeline.externalId],
    jobExternalIds: pipeline.jobs.map((j) => j.externalId),
    buildExternalIds: builds.map((b) => b.externalId),
  });
  const evidence = await findEvidence([
    `gitlab:pipeline:${pipeline.project.externalId}:${pipeline.externalId}`,
    ...pipeline.jobs.map((j) => `gitlab:job:${pipeline.project.externalId}:${j.externalId}`),
  ]);
  return {
    project: pipeline.project.path,
    id: pipeline.externalId,
    iid: pipeline.iid,
    status: pipeline.status,
    ref: pipeline.ref,
    sha,
    beforeSha: pipeline.beforeSha,
    source: pipeline.source,
    url: pipeline.webUrl,
    triggeredBy: toAccountRef(pipeline.triggeredBy),
    createdAt: iso(pipeline.createdAt),
    finishedAt: iso(pipeline.finishedAt),
    jobs: pipeline.jobs.map((j) => ({
      id: j.externalId,
      name: j.name,
      stage: j.stage,
      status: j.status,
      environment: j.environment,
      user: toAccountRef(j.user),
      startedAt: iso(j.startedAt),
      finishedAt: iso(j.finishedAt),
    })),
    mergeRequests: mergeRequests.map((mr) => ({
      project: pipeline.project.path,
      iid: mr.iid,
      title: mr.title,
      state: mr.state,
      linkedBy: sha && (mr.mergeCommitSha === sha || mr.squashCommitSha === sha) ? "merge commit" : sha && mr.headSha === sha ? "head commit" : "merge request pipeline",
    })),
    builds: builds.map((b) => ({ pipeline: b.pipelineSlug, number: b.number, state: b.state, commitSha: b.commitSha, createdAt: iso(b.createdAt), linkedBy: "build meta_data GITLAB_PIPELINE_ID" })),
    deployments,
    evidence,
  };
}
