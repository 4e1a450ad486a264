import "server-only";
import { db, getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { productionEnvironments } from "@/lib/shared/production-environments";
import type { TDeployReceipt } from "@/lib/contracts/deployments";
import { buildEvidenceKeysSql } from "./build-evidence-keys-sql.ts";
import { buildReceiptFindings } from "./build-receipt-findings.ts";
import { findReceiptCredentials } from "./find-receipt-credentials.ts";

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const user = (a: { username: string | null; name: string | null } | null | undefined) => (a ? { username: a.username, name: a.name } : null);

/**
 * The deploy receipt: the whole chain behind one deployment, each link with the key that matched
 * (`linkedBy`), and every delivery the receipt rests on. Null when the deployment does not exist.
 */
export async function getDeployReceipt(id: string): Promise<TDeployReceipt | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  // The deliveries behind the chain, in one statement that links it as below (the evidence pack
  // uses the same statement for a whole period); it needs only the id, so it runs alongside.
  const evidencePending = getPool().query<{ id: string; source: string; event_type: string; sha256: string; received_at: Date; origin: string }>(
    `SELECT d.id, d.source, d.event_type, d.sha256, d.received_at, d.origin FROM delivery d
     WHERE d.id IN (SELECT fe.delivery_id FROM fact_evidence fe WHERE fe.entity_id IN (${buildEvidenceKeysSql("SELECT * FROM deployment WHERE id = $1::uuid")}))`,
    [id],
  );
  evidencePending.catch(() => {}); // awaited below; this only keeps an early failure elsewhere from leaving it unhandled
  const deployment = await db.deployment.findUnique({
    where: { id },
    include: { project: true, triggeredBy: true },
  });
  if (!deployment) return null;

  // The build and job that deployed (Buildkite), or the GitLab job that deployed. Independent lookups
  // run concurrently throughout: the receipt's time is its longest chain of round trips, not their sum.
  const [deployBuild, deployJob] = await Promise.all([
    deployment.buildExternalId ? db.build.findUnique({ where: { externalId: deployment.buildExternalId } }) : null,
    deployment.provider === "gitlab" && deployment.jobExternalId && deployment.projectId
      ? db.ciJob.findUnique({ where: { projectId_externalId: { projectId: deployment.projectId, externalId: deployment.jobExternalId } } })
      : null,
  ]);
  const sha = deployment.commitSha ?? deployJob?.sha ?? deployBuild?.commitSha ?? null;
  const projectPath = deployment.project?.path ?? deployBuild?.gitlabProjectPath ?? null;

  // Merge requests: by merge/squash commit, by head SHA, or named in the build's meta-data (the first
  // merge request of that project and iid, as a findFirst would pick).
  const mrLinks = new Map<string, string>();
  const byMeta =
    deployBuild?.gitlabMrIid && deployBuild.gitlabProjectPath
      ? await db.mergeRequest.findFirst({ where: { iid: deployBuild.gitlabMrIid, project: { path: deployBuild.gitlabProjectPath } }, select: { id: true } })
      : null;
  const mergeRequests =
    sha || byMeta
      ? await db.mergeRequest.findMany({
          where: { OR: [...(sha ? [{ mergeCommitSha: sha }, { squashCommitSha: sha }, { headSha: sha }] : []), ...(byMeta ? [{ id: byMeta.id }] : [])] },
          include: {
            project: true,
            author: true,
            mergedBy: true,
            approvals: { include: { account: true }, orderBy: { approvedAt: "asc" } },
            commits: true,
          },
        })
      : [];
  for (const mr of mergeRequests) {
    if (sha && (mr.mergeCommitSha === sha || mr.squashCommitSha === sha || mr.headSha === sha)) {
      mrLinks.set(mr.id, mr.mergeCommitSha === sha ? "merge_commit_sha" : mr.squashCommitSha === sha ? "squash_commit_sha" : "head_sha");
    } else mrLinks.set(mr.id, "build meta_data GITLAB_MR_IID");
  }
  // Commit authors are only needed at the end: read them while the CI chain is followed.
  const shas = mergeRequests.flatMap((mr) => mr.commits.map((c) => c.sha));
  const commitRowsPending = shas.length ? db.commit.findMany({ where: { sha: { in: shas } }, select: { sha: true, authorEmail: true } }) : Promise.resolve([]);
  commitRowsPending.catch(() => {}); // awaited below; this only keeps an early failure elsewhere from leaving it unhandled

  // Pipelines: on the deployed SHA, on each MR's head SHA, or named in the build's meta-data.
  const pipelineLinks = new Map<string, string>();
  const headShas = mergeRequests.map((mr) => mr.headSha).filter((s): s is string => !!s);
  const pipelineRows = await db.pipeline.findMany({
    where: {
      OR: [
        ...(sha ? [{ sha }] : []),
        ...(headShas.length ? [{ sha: { in: headShas } }] : []),
        ...(deployBuild?.gitlabPipelineId ? [{ externalId: deployBuild.gitlabPipelineId }] : []),
        ...(deployJob?.pipelineId ? [{ id: deployJob.pipelineId }] : []),
      ],
    },
    include: { project: true, triggeredBy: true, jobs: { include: { user: true }, orderBy: { externalId: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
  for (const p of pipelineRows) {
    pipelineLinks.set(
      p.id,
      sha && p.sha === sha ? "sha" : p.externalId === deployBuild?.gitlabPipelineId ? "build meta_data GITLAB_PIPELINE_ID" : p.id === deployJob?.pipelineId ? "deploy job" : "merge request head_sha",
    );
  }

  // Buildkite builds: the deploying build, builds of the SHA, builds created by these pipelines.
  const pipelineIds = pipelineRows.map((p) => p.externalId);
  const builds = await db.build.findMany({
    where: {
      OR: [
        ...(deployBuild ? [{ id: deployBuild.id }] : []),
        ...(sha ? [{ commitSha: sha }] : []),
        ...(pipelineIds.length ? [{ gitlabPipelineId: { in: pipelineIds } }] : []),
      ],
    },
    include: { creator: true, jobs: { include: { unblockedBy: true }, orderBy: { unblockedAt: "asc" } } },
    orderBy: { number: "asc" },
  });

  const credentials = await findReceiptCredentials(
    builds.flatMap((b) => b.jobs.map((j) => j.externalId)),
    pipelineRows.flatMap((p) => p.jobs.map((j) => j.externalId)),
  );

  const evidence = (await evidencePending).rows
    .sort((a, b) => a.received_at.getTime() - b.received_at.getTime() || a.id.localeCompare(b.id))
    .map((d) => ({ deliveryId: d.id, source: d.source, event: d.event_type, sha256: d.sha256, receivedAt: d.received_at.toISOString(), origin: d.origin }));

  const commitRows = await commitRowsPending;
  const receipt: Omit<TDeployReceipt, "findings"> = {
    id: deployment.id,
    provider: deployment.provider,
    project: projectPath,
    environment: deployment.environment,
    status: deployment.status,
    commitSha: sha,
    startedAt: iso(deployment.startedAt),
    finishedAt: iso(deployment.finishedAt),
    occurredAt: deployment.occurredAt.toISOString(),
    triggeredBy: user(deployment.triggeredBy),
    mergeRequests: mergeRequests.map((mr) => ({
      iid: mr.iid,
      project: mr.project.path,
      title: mr.title,
      url: mr.webUrl,
      state: mr.state,
      author: user(mr.author),
      approvers: mr.approvals
        .filter((a) => a.approvedAt && !a.revokedAt)
        .map((a) => ({ username: a.account.username, approvedAt: iso(a.approvedAt) })),
      mergedBy: user(mr.mergedBy),
      mergedAt: iso(mr.mergedAt),
      commits: mr.commits.map((c) => c.sha),
      commitAuthorEmails: [
        ...new Set(
          commitRows
            .filter((c) => mr.commits.some((m) => m.sha === c.sha))
            .map((c) => c.authorEmail)
            .filter((e): e is string => !!e),
        ),
      ],
      linkedBy: mrLinks.get(mr.id) ?? "unknown",
    })),
    pipelines: pipelineRows.map((p) => ({
      provider: "gitlab" as const,
      project: p.project.path,
      id: p.externalId,
      status: p.status,
      ref: p.ref,
      sha: p.sha,
      source: p.source,
      url: p.webUrl,
      triggeredBy: user(p.triggeredBy),
      jobs: p.jobs.map((j) => ({ id: j.externalId, name: j.name, status: j.status, user: user(j.user) })),
      linkedBy: pipelineLinks.get(p.id) ?? "unknown",
    })),
    builds: builds.map((b) => ({
      provider: "buildkite" as const,
      pipeline: b.pipelineSlug,
      number: b.number,
      state: b.state,
      url: b.webUrl,
      creator: b.creator ? { name: b.creator.name, email: b.creator.email } : null,
      gates: b.jobs
        .filter((j) => j.type === "manual")
        .map((j) => ({
          label: j.label,
          state: j.state,
          unblockedBy: j.unblockedBy ? { name: j.unblockedBy.name, email: j.unblockedBy.email } : null,
          unblockedAt: iso(j.unblockedAt),
        })),
      linkedBy: b.id === deployBuild?.id ? "deploying build" : sha && b.commitSha === sha ? "commit" : "build meta_data GITLAB_PIPELINE_ID",
    })),
    credentials,
    evidence,
  };
  const env = getEnv();
  return {
    ...receipt,
    findings: buildReceiptFindings(receipt, {
      maxCredentialLifetimeSeconds: env.CUSTODY_CREDENTIAL_MAX_LIFETIME,
      allowedAudiences: env.CUSTODY_CREDENTIAL_AUDIENCES,
      production: productionEnvironments.includes(receipt.environment),
      defaultBranches: deployment.project?.defaultBranch ? [deployment.project.defaultBranch] : undefined,
    }),
  };
}
