import "server-only";
import { db, Prisma } from "@/lib/db";
import type { TDeploymentSummary, TDeploymentsQuery } from "@/lib/contracts/deployments";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { decodeCursor, encodeCursor } from "@/lib/shared/keyset-cursor";

/** Deployments newest first, keyset-paged on (occurredAt, id) so pages never skip or repeat. */
export async function findDeployments(query: TDeploymentsQuery): Promise<{ items: TDeploymentSummary[]; nextCursor: string | null }> {
  const cursor = decodeCursor(query.cursor);
  if (query.cursor && !cursor) throw new BadCursorError("cursor is not valid");
  const where: Prisma.DeploymentWhereInput = {
    ...(query.environment ? { environment: query.environment } : {}),
    ...(query.project
      ? { OR: [{ project: { path: query.project } }, { provider: "buildkite", externalId: { in: await buildkiteJobIdsFor(query.project) } }] }
      : {}),
    occurredAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) },
    ...(cursor ? { AND: [{ OR: [{ occurredAt: { lt: cursor.at } }, { occurredAt: cursor.at, id: { lt: cursor.id } }] }] } : {}),
  };
  const rows = await db.deployment.findMany({
    where,
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    include: { project: { select: { path: true } } },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  // Buildkite deployments know their project through the build's GITLAB_PROJECT_PATH meta-data.
  const buildIds = page.map((d) => d.buildExternalId).filter((b): b is string => !!b);
  const builds = buildIds.length
    ? await db.build.findMany({ where: { externalId: { in: buildIds } }, select: { externalId: true, gitlabProjectPath: true } })
    : [];
  const buildProject = new Map(builds.map((b) => [b.externalId, b.gitlabProjectPath]));
  return {
    items: page.map((d) => ({
      id: d.id,
      provider: d.provider,
      project: d.project?.path ?? (d.buildExternalId ? (buildProject.get(d.buildExternalId) ?? null) : null),
      environment: d.environment,
      status: d.status,
      commitSha: d.commitSha,
      startedAt: d.startedAt?.toISOString() ?? null,
      finishedAt: d.finishedAt?.toISOString() ?? null,
      occurredAt: d.occurredAt.toISOString(),
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.occurredAt, last.id) : null,
  };
}

async function buildkiteJobIdsFor(projectPath: string): Promise<string[]> {
  const jobs = await db.buildJob.findMany({ where: { build: { gitlabProjectPath: projectPath }, environment: { not: null } }, select: { externalId: true } });
  return jobs.map((j) => j.externalId);
}
