import "server-only";
import { db, type Prisma } from "@/lib/db";
import type { TDeploymentRef } from "@/lib/contracts/provenance";

/**
 * Deployments joined to a change or a CI run: by the deploying build, the GitLab pipeline or job
 * that deployed, or the commit deployed. Each deployment once, with the first key that matched;
 * newest first, at most 100.
 */
export async function findLinkedDeployments(keys: { buildExternalIds?: string[]; pipelineExternalIds?: string[]; jobExternalIds?: string[]; shas?: string[] }): Promise<TDeploymentRef[]> {
  const or: Prisma.DeploymentWhereInput[] = [];
  if (keys.buildExternalIds?.length) or.push({ buildExternalId: { in: keys.buildExternalIds } });
  if (keys.pipelineExternalIds?.length) or.push({ pipelineExternalId: { in: keys.pipelineExternalIds } });
  if (keys.jobExternalIds?.length) or.push({ jobExternalId: { in: keys.jobExternalIds } });
  if (keys.shas?.length) or.push({ commitSha: { in: keys.shas } });
  if (!or.length) return [];
  const rows = await db.deployment.findMany({ where: { OR: or }, orderBy: [{ occurredAt: "desc" }, { id: "desc" }], take: 100 });
  const has = (list: string[] | undefined, value: string | null) => !!value && !!list?.includes(value);
  return rows.map((d) => ({
    id: d.id,
    environment: d.environment,
    status: d.status,
    commitSha: d.commitSha,
    occurredAt: d.occurredAt.toISOString(),
    linkedBy: has(keys.buildExternalIds, d.buildExternalId)
      ? "build"
      : has(keys.pipelineExternalIds, d.pipelineExternalId)
        ? "pipeline"
        : has(keys.jobExternalIds, d.jobExternalId)
          ? "job"
          : "commit",
  }));
}
