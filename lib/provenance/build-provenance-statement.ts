import type { TAccountRef, TBuildDetail, TMergeRequestDetail } from "@/lib/contracts/provenance";

/** The buildType of Custody's provenance: a Buildkite build, with its GitLab change and gate decisions. */
export const custodyBuildType = "https://custody.dev/provenance/buildkite-build/v1";

export type TApprovalDecisionInput = {
  gateId: string;
  gateLabel: string | null;
  decision: string;
  actor: string;
  reason: string | null;
  decidedAt: string;
  verdict: unknown;
};

export type TProvenanceStatement = {
  _type: "https://in-toto.io/Statement/v1";
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: "https://slsa.dev/provenance/v1";
  predicate: {
    buildDefinition: {
      buildType: string;
      externalParameters: Record<string, unknown>;
      internalParameters: Record<string, unknown>;
      resolvedDependencies: { uri: string; digest: Record<string, string> }[];
    };
    runDetails: {
      builder: { id: string };
      metadata: { invocationId: string; startedOn?: string; finishedOn?: string };
      byproducts: { name: string; uri?: string; digest?: Record<string, string>; mediaType?: string; annotations?: Record<string, unknown> }[];
    };
  };
};

const person = (a: TAccountRef | null) => (a ? { username: a.username, name: a.name, email: a.email } : null);

/**
 * The in-toto Statement v1 with a SLSA v1 provenance predicate for one build: the commit as subject
 * (and resolved dependency), the repository, ref, pipeline and merge requests as external parameters,
 * and as byproducts the merge requests' author, approvers and merger, the gates with who unblocked
 * them, the approval decisions made in Custody and the stored deliveries (by id and SHA-256) that
 * prove it. Pure; null without a commit (a statement needs a subject).
 */
export function buildProvenanceStatement(input: {
  build: TBuildDetail;
  mergeRequests: TMergeRequestDetail[];
  decisions: TApprovalDecisionInput[];
  gitlabUrl: string;
  appUrl: string;
}): TProvenanceStatement | null {
  const { build, mergeRequests, decisions, gitlabUrl, appUrl } = input;
  if (!build.commitSha) return null;
  const projectPath = build.gitlab.projectPath ?? mergeRequests[0]?.project ?? null;
  const repository = projectPath ? `${gitlabUrl}/${projectPath}` : null;
  const ref = build.branch ? `refs/heads/${build.branch}` : null;
  const pipelineUrl = build.organization ? `https://buildkite.com/${build.organization}/${build.pipeline}` : `https://buildkite.com/${build.pipeline}`;
  const gitUri = repository ? `git+${repository}.git${ref ? `@${ref}` : ""}` : `git+${build.pipeline}`;
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: repository ? `git+${repository}.git` : `commit:${build.commitSha}`, digest: { gitCommit: build.commitSha } }],
    predicateType: "https://slsa.dev/provenance/v1",
    predicate: {
      buildDefinition: {
        buildType: custodyBuildType,
        externalParameters: {
          repository,
          ref,
          commit: build.commitSha,
          pipeline: { organization: build.organization, slug: build.pipeline, number: build.number, url: build.url },
          mergeRequests: mergeRequests.map((mr) => ({ project: mr.project, iid: mr.iid, url: mr.url })),
        },
        internalParameters: {
          source: build.source,
          message: build.message,
          creator: person(build.creator),
          gitlab: { pipelineId: build.gitlab.pipelineId, jobId: build.gitlab.jobId, mrIid: build.gitlab.mrIid },
          state: build.state,
        },
        resolvedDependencies: [{ uri: gitUri, digest: { gitCommit: build.commitSha } }],
      },
      runDetails: {
        builder: { id: pipelineUrl },
        metadata: {
          invocationId: build.url ?? `${pipelineUrl}/builds/${build.number}`,
          ...(build.startedAt ? { startedOn: build.startedAt } : {}),
          ...(build.finishedAt ? { finishedOn: build.finishedAt } : {}),
        },
        byproducts: [
          ...mergeRequests.map((mr) => ({
            name: `merge-request:${mr.project}!${mr.iid}`,
            ...(mr.url ? { uri: mr.url } : {}),
            annotations: {
              title: mr.title,
              state: mr.state,
              author: person(mr.author),
              approvers: mr.approvals.filter((a) => a.approvedAt && !a.revokedAt).map((a) => ({ ...person(a.account), approvedAt: a.approvedAt })),
              mergedBy: person(mr.mergedBy),
              mergedAt: mr.mergedAt,
              mergeCommit: mr.mergeCommitSha ?? mr.squashCommitSha,
            },
          })),
          ...build.jobs
            .filter((j) => j.type === "manual")
            .map((j) => ({
              name: `gate:${j.label ?? j.stepKey ?? j.id}`,
              annotations: { jobId: j.id, stepKey: j.stepKey, state: j.state, unblockedBy: person(j.unblockedBy), unblockedAt: j.unblockedAt },
            })),
          ...decisions.map((d) => ({
            name: `approval-decision:${d.gateLabel ?? d.gateId}:${d.actor}`,
            annotations: { gateJobId: d.gateId, decision: d.decision, decidedBy: d.actor, decidedAt: d.decidedAt, reason: d.reason, verdict: d.verdict },
          })),
          ...build.evidence.map((e) => ({
            name: `delivery:${e.deliveryId}`,
            uri: `${appUrl}/api/v1/deliveries/${e.deliveryId}`,
            digest: { sha256: e.sha256 },
            mediaType: "application/json",
            annotations: { source: e.source, event: e.event, receivedAt: e.receivedAt },
          })),
        ],
      },
    },
  };
}
