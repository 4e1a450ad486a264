import "server-only";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getBuild } from "@/lib/domain/get-build";
import { getMergeRequest } from "@/lib/domain/get-merge-request";
import type { TMergeRequestDetail } from "@/lib/contracts/provenance";
import { buildProvenanceStatement, type TProvenanceStatement } from "./build-provenance-statement.ts";

export type TBuildProvenance = { ok: true; statement: TProvenanceStatement } | { ok: false; status: 404 | 409; detail: string };

/**
 * The in-toto / SLSA provenance statement of a Buildkite build by pipeline slug and number, from what
 * Custody stored: the build, its merge requests with their people, its gates, the approval decisions
 * made in Custody and its deliveries. `appUrl` is the origin delivery links point to.
 */
export async function getBuildProvenance(pipelineSlug: string, number: number, appUrl: string): Promise<TBuildProvenance> {
  const build = await getBuild(pipelineSlug, number);
  if (!build) return { ok: false, status: 404, detail: `No build ${pipelineSlug} #${number}` };
  const mergeRequests = (await Promise.all(build.mergeRequests.map((m) => getMergeRequest(m.project, m.iid)))).filter((m): m is TMergeRequestDetail => m !== null);
  const decisions = await db.approvalDecision.findMany({
    where: { buildJob: { build: { pipelineSlug, number } } },
    include: { buildJob: true },
    orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
  });
  const statement = buildProvenanceStatement({
    build,
    mergeRequests,
    decisions: decisions.map((d) => ({
      gateId: d.buildJob.externalId,
      gateLabel: d.buildJob.label,
      decision: d.decision,
      actor: d.actorLabel,
      reason: d.reason,
      decidedAt: d.decidedAt.toISOString(),
      verdict: d.verdict,
    })),
    gitlabUrl: getEnv().GITLAB_URL,
    appUrl,
  });
  if (!statement) return { ok: false, status: 409, detail: `Build ${pipelineSlug} #${number} has no commit yet, so there is nothing to attest.` };
  return { ok: true, statement };
}
