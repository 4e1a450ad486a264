import "server-only";
import { db } from "@/lib/db";
import type { TMergeRequestDetail } from "@/lib/contracts/provenance";
import { findEvidence } from "./find-evidence.ts";
import { findLinkedDeployments } from "./find-linked-deployments.ts";
import { toAccountRef } from "./to-account-ref.ts";

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * A merge request by project path and iid: its people (author, approvers with revocations, merger),
 * commits, the pipelines and Buildkite builds that ran its commits, the deployments that shipped it
 * and the deliveries it rests on. Null when Custody has not seen it.
 */
export async function getMergeRequest(projectPath: string, iid: number): Promise<TMergeRequestDetail | null> {
  if (!Number.isSafeInteger(iid) || iid < 1) return null;
  const mr = await db.mergeRequest.findFirst({
    where: { iid, project: { path: projectPath } },
    include: { project: true, author: true, mergedBy: true, approvals: { include: { account: true }, orderBy: { approvedAt: "asc" } }, commits: true },
  });
  if (!mr) return null;
  const commitShas = mr.commits.map((c) => c.sha);
  const shipped = [mr.mergeCommitSha, mr.squashCommitSha].filter((s): s is string => !!s);
  const shas = [...new Set([...shipped, ...(mr.headSha ? [mr.headSha] : []), ...commitShas])];
  const commitRows = commitShas.length ? await db.commit.findMany({ where: { projectId: mr.projectId, sha: { in: commitShas } } }) : [];
  // By commit only (indexed): merge request pipelines run on the head commit, which is in `shas`.
  const pipelines = shas.length
    ? await db.pipeline.findMany({ where: { projectId: mr.projectId, sha: { in: shas } }, orderBy: [{ createdAt: "asc" }, { externalId: "asc" }], take: 200 })
    : [];
  const pipelineIds = pipelines.map((p) => p.externalId);
  const builds = await db.build.findMany({
    where: {
      OR: [
        ...(shas.length ? [{ commitSha: { in: shas } }] : []),
        { gitlabMrIid: mr.iid, gitlabProjectPath: mr.project.path },
        ...(pipelineIds.length ? [{ gitlabPipelineId: { in: pipelineIds } }] : []),
      ],
    },
    orderBy: [{ createdAt: "asc" }, { number: "asc" }],
    take: 200,
  });
  const deployments = await findLinkedDeployments({ shas: shipped.length ? shipped : mr.headSha ? [mr.headSha] : [], buildExternalIds: builds.map((b) => b.externalId), pipelineExternalIds: pipelineIds });
  const evidence = await findEvidence([
    `gitlab:mr:${mr.project.externalId}:${mr.iid}`,
    ...mr.approvals.map((a) => `gitlab:mr-approval:${mr.project.externalId}:${mr.iid}:${a.account.externalId}`),
  ]);
  const shippedSet = new Set(shipped);
  return {
    project: mr.project.path,
    iid: mr.iid,
    title: mr.title,
    state: mr.state,
    url: mr.webUrl,
    sourceBranch: mr.sourceBranch,
    targetBranch: mr.targetBranch,
    headSha: mr.headSha,
    mergeCommitSha: mr.mergeCommitSha,
    squashCommitSha: mr.squashCommitSha,
    openedAt: iso(mr.openedAt),
    mergedAt: iso(mr.mergedAt),
    closedAt: iso(mr.closedAt),
    author: toAccountRef(mr.author),
    mergedBy: toAccountRef(mr.mergedBy),
    approvals: mr.approvals.map((a) => ({ account: toAccountRef(a.account)!, approvedAt: iso(a.approvedAt), revokedAt: iso(a.revokedAt) })),
    commits: commitShas.map((sha) => {
      const c = commitRows.find((row) => row.sha === sha);
      return { sha, title: c?.title ?? null, authorName: c?.authorName ?? null, authorEmail: c?.authorEmail ?? null, committedAt: iso(c?.committedAt) };
    }),
    pipelines: pipelines.map((p) => ({
      project: mr.project.path,
      id: p.externalId,
      status: p.status,
      ref: p.ref,
      sha: p.sha,
      source: p.source,
      createdAt: iso(p.createdAt),
      linkedBy: p.sha && shippedSet.has(p.sha) ? "merge commit" : p.sha === mr.headSha ? "head commit" : "commit",
    })),
    builds: builds.map((b) => ({
      pipeline: b.pipelineSlug,
      number: b.number,
      state: b.state,
      commitSha: b.commitSha,
      createdAt: iso(b.createdAt),
      linkedBy: b.gitlabMrIid === mr.iid && b.gitlabProjectPath === mr.project.path ? "build meta_data GITLAB_MR_IID" : b.commitSha && shas.includes(b.commitSha) ? "commit" : "build meta_data GITLAB_PIPELINE_ID",
    })),
    deployments,
    evidence,
  };
}
