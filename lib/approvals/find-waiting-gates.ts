import "server-only";
import { db } from "@/lib/db";
import type { TPrincipal } from "@/lib/auth/principal";
import type { TWaitingGates } from "@/lib/contracts/approvals";
import { getBuildkiteClient } from "./get-buildkite-client.ts";
import { getGateContext } from "./get-gate-context.ts";
import { getGateVerdict } from "./get-gate-verdict.ts";
import { reconcileBlockedBuilds } from "./reconcile-blocked-builds.ts";
import { resolveApprover } from "./resolve-approver.ts";
import { settleUnknownGateCall } from "./run-gate-call.ts";
import { toWaitingGate } from "./to-waiting-gate.ts";

/** At most this many gates are listed; waiting gates expire, so the list stays short. */
const LIMIT = 100;

/**
 * Builds waiting at a block step (blocked builds are first read from Buildkite when their block step is
 * not known yet, see reconcileBlockedBuilds; then job state `blocked`, build not canceled),
 * newest first, each with the change behind it and the policy verdict for `principal`. A gate Custody
 * has already resolved stays listed until Buildkite's webhook says it moved on, with its action state;
 * a call whose outcome is unknown is settled first by reading the build (never by calling again).
 */
export async function findWaitingGates(principal: TPrincipal): Promise<TWaitingGates> {
  const bk = getBuildkiteClient();
  const readProblem = bk.ok ? await reconcileBlockedBuilds(bk.client, bk.org) : null;
  // Calls whose outcome is unknown (a timeout whose read failed too) are settled by reading the build now.
  if (bk.ok) {
    const unsettled = await db.gateAction.findMany({ where: { state: "unknown" }, include: { buildJob: { include: { build: true } } }, orderBy: { startedAt: "asc" }, take: 5 });
    for (const action of unsettled) {
      const { buildJob: job } = action;
      await settleUnknownGateCall({ jobId: job.id, jobExternalId: job.externalId, pipeline: job.build.pipelineSlug, number: job.build.number, label: job.label });
    }
  }
  const jobs = await db.buildJob.findMany({
    where: { type: "manual", state: { in: ["blocked", "blocked_failed"] }, build: { state: { notIn: ["canceled", "canceling"] } } },
    select: { id: true },
    orderBy: [{ build: { finishedAt: { sort: "desc", nulls: "last" } } }, { id: "asc" }],
    take: LIMIT,
  });
  const who = await resolveApprover(principal);
  const items = [];
  for (const { id } of jobs) {
    const ctx = await getGateContext(id);
    if (!ctx) continue;
    const approver = who.ok ? who.approver : { key: "nobody", label: principal.kind === "token" ? `token ${principal.name}` : "you", role: null, userId: null, tokenId: null, personId: null, buildkiteUserId: null, keys: [] };
    const { policy, verdict } = getGateVerdict(ctx, approver);
    items.push(toWaitingGate(ctx, policy, verdict));
  }
  return { items, configured: bk.ok, problem: bk.ok ? readProblem : bk.detail };
}
