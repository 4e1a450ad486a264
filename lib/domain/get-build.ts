import "server-only";
import { db } from "@/lib/db";
import type { TBuildDetail } from "@/lib/contracts/provenance";
import { findEvidence } from "./find-evidence.ts";
import { findLinkedDeployments } from "./find-linked-deployments.ts";
import { toAccountRef } from "./to-account-ref.ts";

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * A Buildkite build by pipeline slug and number: its jobs, block steps and who unblocked them, the
 * GitLab pipeline and merge request it names or shares a commit with, the deployments it made, and
 * its deliveries. Null when Custody has not seen it.
 */
export async function getBuild(pipelineSlug: string, number: number): Promise<TBuildDetail | null> {
  if (!Number.isSafeInteger(number) || number < 0) return null;
  const build = await db.build.findUnique({
    where: { pipelineSlug_number: { pipelineSlug, number } },
    include: { creator: true, jobs: { include: { unblockedBy: true }, orderBy: [{ startedAt: "asc" }, { externalId: "asc" }] } },
  });
  if (!build) return null;
  const pipelines = await db.pipeline.findMany({
    where: { OR: [...(build.gitlabPipelineId ? [{ externalId: build.gitlabPipelineId }] : []), ...(build.commitSha ? [{ sha: build.commitSha }] : [])] },
    include: { project: true },
    orderBy: [{ createdAt: "asc" }, { externalId: "asc" }],
    take: 50,
  });
  const mergeRequests = await db.mergeRequest.findMany({
    where: {
      OR: [
        ...(build.gitlabMrIid && build.gitlabProjectPath ? [{ iid: build.gitlabMrIid, project: { path: build.gitlabProjectPath } }] : []),
        ...(build.commitSha ? [{ mergeCommitSha: build.commitSha }, { squashCommitSha: build.commitSha }, { headSha: build.commitSha }] : []),
      ],
    },
    include: { project: true },
    take: 50,
  });
  const deployments = await findLinkedDeployments({ buildExternalIds: [build.externalId] });
  const evidence = await findEvidence([`buildkite:build:${build.externalId}`, ...build.jobs.map((j) => `buildkite:job:${j.externalId}`)]);
  return {
    pipeline: build.pipelineSlug,
    number: build.number,
    organization: build.organization,
    state: build.state,
    blocked: build.blocked,
    commitSha: build.commitSha,
    branch: build.branch,
    message: build.message,
    source: build.source,
    url: build.webUrl,
    creator: toAccountRef(build.creator),
    author: build.authorName || build.authorEmail ? { name: build.authorName, email: build.authorEmail } : null,
    gitlab: { projectPath: build.gitlabProjectPath, pipelineId: build.gitlabPipelineId, jobId: build.gitlabJobId, mrIid: build.gitlabMrIid },
    createdAt: iso(build.createdAt),
    startedAt: iso(build.startedAt),
    finishedAt: iso(build.finishedAt),
    jobs: build.jobs.map((j) => ({
      id: j.externalId,
      type: j.type,
      label: j.label,
      stepKey: j.stepKey,
      state: j.state,
      environment: j.environment,
      agentName: j.agentName,
      exitStatus: j.exitStatus,
      startedAt: iso(j.startedAt),
      finishedAt: iso(j.finishedAt),
      unblockedBy: toAccountRef(j.unblockedBy),
      unblockedAt: iso(j.unblockedAt),
    })),
    mergeRequests: mergeRequests.map((mr) => ({
      project: mr.project.path,
      iid: mr.iid,
      title: mr.title,
      state: mr.state,
      linkedBy: build.gitlabMrIid === mr.iid && build.gitlabProjectPath === mr.project.path ? "build meta_data GITLAB_MR_IID" : "commit",
    })),
    pipelines: pipelines.map((p) => ({
      project: p.project.path,
      id: p.externalId,
      status: p.status,
      ref: p.ref,
      sha: p.sha,
      source: p.source,
      createdAt: iso(p.createdAt),
      linkedBy: p.externalId === build.gitlabPipelineId ? "build meta_data GITLAB_PIPELINE_ID" : "commit",
    })),
    deployments,
    evidence,
  };
}
