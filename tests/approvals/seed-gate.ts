import { db } from "@/lib/db";
import { createSession, type TSignInIdentity } from "@/lib/auth/create-session";
import type { TPrincipal } from "@/lib/auth/principal";
import type { TRole } from "@/lib/contracts/roles";

/**
 * A change waiting at a production gate: merge request acme/api!5 by ann (commit by ann), GitLab
 * pipeline 900 triggered by ann, Buildkite build deploy-api #7 created by the CI bot, blocked at
 * "Deploy to production" (job job-gate-7). People: ann (author), bob and cat (approvers with linked
 * Buildkite accounts bk-bob, bk-cat), dan (approver without a Buildkite account).
 */
export async function seedGate(options: { pipeline?: string; number?: number; jobId?: string; waitingSince?: Date } = {}) {
  const pipeline = options.pipeline ?? "deploy-api";
  const number = options.number ?? 7;
  const jobExternalId = options.jobId ?? `job-gate-${number}`;
  const person = async (displayName: string) => (await db.person.create({ data: { displayName } })).id;
  const account = (system: string, externalId: string, username: string | null, email: string | null, personId: string | null) =>
    db.account.upsert({ where: { system_externalId: { system, externalId } }, create: { system, externalId, username, name: username, email, personId }, update: {} });

  const ann = await person("Ann");
  const bob = await person("Bob");
  const cat = await person("Cat");
  const dan = await person("Dan");
  const annGl = await account("gitlab", "201", "ann", "ann@acme.test", ann);
  await account("gitlab", "202", "bob", null, bob);
  await account("buildkite", "bk-bob", null, "bob@acme.test", bob);
  await account("gitlab", "203", "cat", null, cat);
  await account("buildkite", "bk-cat", null, "cat@acme.test", cat);
  await account("gitlab", "204", "dan", null, dan);
  await account("buildkite", "bk-ann", null, "ann@acme.test", ann);
  const bot = await account("buildkite", "bk-ci-bot", "ci-bot", "ci@acme.test", null);

  const project = await db.project.upsert({ where: { provider_externalId: { provider: "gitlab", externalId: "77" } }, create: { provider: "gitlab", externalId: "77", path: "acme/api" }, update: {} });
  const sha = "a".repeat(40);
  const mr = await db.mergeRequest.upsert({
    where: { projectId_iid: { projectId: project.id, iid: 5 } },
    create: { projectId: project.id, iid: 5, title: "Faster checkout", state: "merged", mergeCommitSha: sha, authorAccountId: annGl.id },
    update: {},
  });
  await db.mergeRequestCommit.upsert({ where: { mergeRequestId_sha: { mergeRequestId: mr.id, sha } }, create: { mergeRequestId: mr.id, sha }, update: {} });
  await db.commit.upsert({ where: { projectId_sha: { projectId: project.id, sha } }, create: { projectId: project.id, sha, title: "Faster checkout", authorName: "Ann", authorEmail: "ann@acme.test" }, update: {} });
  await db.pipeline.upsert({
    where: { projectId_externalId: { projectId: project.id, externalId: "900" } },
    create: { projectId: project.id, externalId: "900", sha, status: "success", ref: "main", triggeredByAccountId: annGl.id },
    update: {},
  });
  const waitingSince = options.waitingSince ?? new Date(Date.now() - 10 * 60_000);
  const build = await db.build.create({
    data: { externalId: `build-${pipeline}-${number}`, pipelineSlug: pipeline, number, state: "passed", blocked: true, commitSha: sha, branch: "main", creatorAccountId: bot.id, gitlabProjectPath: "acme/api", gitlabMrIid: 5, gitlabPipelineId: "900", createdAt: waitingSince, finishedAt: waitingSince },
  });
  const job = await db.buildJob.create({ data: { buildId: build.id, externalId: jobExternalId, type: "manual", label: "Deploy to production", stepKey: "deploy-prod", state: "blocked", environment: "production", unblockable: true } });
  return { gateId: job.id, buildId: build.id, pipeline, number, jobExternalId, people: { ann, bob, cat, dan } };
}

/** A signed-in Custody user (GitLab subject = the seeded GitLab account) as the principal routes pass to lib. */
export async function signedInPrincipal(username: "ann" | "bob" | "cat" | "dan" | "vic", role: TRole): Promise<TPrincipal> {
  const subject = { ann: "201", bob: "202", cat: "203", dan: "204", vic: "205" }[username];
  const identity: TSignInIdentity = { provider: "gitlab", subject, username, name: username, email: `${username}@acme.test`, groups: [], role };
  const { sessionId, userId } = await createSession({ identity, ip: "198.51.100.7", userAgent: "vitest" });
  return { kind: "user", userId, sessionId, provider: "gitlab", username, name: username, role };
}

export async function truncateApprovals(): Promise<void> {
  await db.$executeRawUnsafe("TRUNCATE approval_decision, gate_action CASCADE");
}
