import "server-only";
import { db } from "@/lib/db";
import { accountKeys } from "./account-keys.ts";

type TAccountLike = { username: string | null; name: string | null; email: string | null };
const label = (a: TAccountLike) => a.username ?? a.name ?? a.email ?? "unknown";

/**
 * Everything approvals need about one gate (a Buildkite block step): its build, the change behind it
 * (merge requests, their authors, approvers and commits, GitLab pipelines and their jobs), who triggered
 * the build, earlier deploys of the same project, and Custody's decisions and Buildkite call so far.
 * Null when `buildJobId` is not a block step we know.
 */
export async function getGateContext(buildJobId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(buildJobId)) return null;
  const job = await db.buildJob.findUnique({
    where: { id: buildJobId },
    include: {
      build: { include: { creator: true } },
      unblockedBy: true,
      decisions: { orderBy: [{ decidedAt: "asc" }, { id: "asc" }] },
      gateAction: true,
    },
  });
  if (!job || job.type !== "manual") return null;
  const { build } = job;

  const mrWhere = [
    ...(build.commitSha ? [{ mergeCommitSha: build.commitSha }, { squashCommitSha: build.commitSha }, { headSha: build.commitSha }] : []),
    ...(build.gitlabMrIid && build.gitlabProjectPath ? [{ iid: build.gitlabMrIid, project: { path: build.gitlabProjectPath } }] : []),
  ];
  const mergeRequests = mrWhere.length
    ? await db.mergeRequest.findMany({
        where: { OR: mrWhere },
        include: { project: true, author: true, approvals: { include: { account: true } }, commits: true },
        orderBy: { iid: "asc" },
      })
    : [];
  const shas = [...new Set([...mergeRequests.flatMap((m) => m.commits.map((c) => c.sha)), ...(build.commitSha ? [build.commitSha] : [])])];
  const commits = shas.length ? await db.commit.findMany({ where: { sha: { in: shas } }, orderBy: { committedAt: "asc" } }) : [];
  const committerEmails = [...new Set([...commits.map((c) => c.authorEmail), build.authorEmail].filter((e): e is string => !!e).map((e) => e.toLowerCase()))];
  const committerAccounts = committerEmails.length ? await db.account.findMany({ where: { email: { in: committerEmails, mode: "insensitive" } } }) : [];

  const pipelines = await db.pipeline.findMany({
    where: {
      OR: [
        ...(build.gitlabPipelineId ? [{ externalId: build.gitlabPipelineId }] : []),
        ...(build.commitSha ? [{ sha: build.commitSha }] : []),
        ...(mergeRequests.some((m) => m.headSha) ? [{ sha: { in: mergeRequests.map((m) => m.headSha).filter((s): s is string => !!s) } }] : []),
      ],
    },
    include: { triggeredBy: true, jobs: { orderBy: { externalId: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
  const projectIds = [...new Set([...mergeRequests.map((m) => m.projectId), ...pipelines.map((p) => p.projectId)])];
  const earlierDeploys = await db.deployment.findMany({
    where: {
      OR: [...(projectIds.length ? [{ projectId: { in: projectIds } }] : []), { buildExternalId: { in: (await db.build.findMany({ where: { pipelineSlug: build.pipelineSlug, NOT: { id: build.id } }, select: { externalId: true }, take: 200, orderBy: { number: "desc" } })).map((b) => b.externalId) } }],
      ...(job.environment ? { environment: job.environment } : {}),
    },
    include: { triggeredBy: true },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: 5,
  });

  const triggerAccounts = [build.creator, ...pipelines.filter((p) => p.externalId === build.gitlabPipelineId).map((p) => p.triggeredBy)].filter((a): a is NonNullable<typeof a> => !!a);
  return {
    job,
    build,
    mergeRequests,
    commits,
    pipelines,
    earlierDeploys,
    parties: {
      mrAuthors: mergeRequests.filter((m) => m.author).map((m) => ({ label: `${label(m.author!)} (!${m.iid})`, keys: accountKeys(m.author) })),
      committers: [
        ...committerEmails.map((email) => ({ label: email, keys: [`email:${email}`] })),
        ...committerAccounts.map((a) => ({ label: label(a), keys: accountKeys(a) })),
      ],
      triggers: triggerAccounts.map((a) => ({ label: label(a), keys: accountKeys(a) })),
    },
    waitingSince: build.finishedAt ?? build.startedAt ?? build.createdAt ?? null,
  };
}

export type TGateContext = NonNullable<Awaited<ReturnType<typeof getGateContext>>>;
