import "server-only";
import type { TGatePolicy, TPolicyVerdict } from "@/lib/contracts/approval-policy";
import type { TWaitingGate } from "@/lib/contracts/approvals";
import type { TGateContext } from "./get-gate-context.ts";
import { toGateDecision } from "./to-gate-decision.ts";

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const name = (a: { username: string | null; name: string | null } | null | undefined) => (a ? (a.username ?? a.name) : null);

/** The gate as the approvals API and page show it, with the policy verdict for the caller. */
export function toWaitingGate(ctx: TGateContext, policy: TGatePolicy, verdict: TPolicyVerdict): TWaitingGate {
  const { job, build } = ctx;
  return {
    id: job.id,
    label: job.label,
    stepKey: job.stepKey,
    environment: job.environment,
    pipeline: build.pipelineSlug,
    buildNumber: build.number,
    buildUrl: build.webUrl,
    buildState: build.state,
    branch: build.branch,
    commitSha: build.commitSha,
    waitingSince: iso(ctx.waitingSince),
    expiresAt: ctx.waitingSince ? new Date(ctx.waitingSince.getTime() + policy.maxGateAgeSeconds * 1000).toISOString() : null,
    triggeredBy: ctx.parties.triggers.map((t) => t.label),
    mergeRequests: ctx.mergeRequests.map((m) => ({
      project: m.project.path,
      iid: m.iid,
      title: m.title,
      url: m.webUrl,
      state: m.state,
      author: name(m.author),
      approvers: m.approvals.filter((a) => a.approvedAt && !a.revokedAt).map((a) => a.account.username ?? a.account.name ?? "?"),
    })),
    commits: ctx.commits.map((c) => ({ sha: c.sha, title: c.title ?? c.message?.split("\n")[0] ?? null, author: c.authorName ?? c.authorEmail })),
    pipelines: ctx.pipelines.map((p) => ({ id: p.externalId, status: p.status, url: p.webUrl, jobs: p.jobs.map((j) => ({ name: j.name, status: j.status })) })),
    earlierDeploys: ctx.earlierDeploys.map((d) => ({ id: d.id, environment: d.environment, status: d.status, commitSha: d.commitSha, occurredAt: d.occurredAt.toISOString(), by: name(d.triggeredBy) })),
    decisions: job.decisions.map(toGateDecision),
    action: job.gateAction
      ? { kind: job.gateAction.kind === "cancel" ? "cancel" : "unblock", state: job.gateAction.state, message: job.gateAction.message, attempts: job.gateAction.attempts, at: job.gateAction.startedAt.toISOString() }
      : null,
    policy,
    verdict,
  };
}
