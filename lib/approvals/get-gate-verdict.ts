import "server-only";
import { getEnv } from "@/lib/env";
import type { TGatePolicy, TPolicyVerdict } from "@/lib/contracts/approval-policy";
import { buildGatePolicy } from "./build-gate-policy.ts";
import { buildPolicyVerdict } from "./build-policy-verdict.ts";
import type { TGateContext } from "./get-gate-context.ts";
import { getGateClosedReason } from "./get-gate-closed-reason.ts";
import type { TApprover } from "./resolve-approver.ts";

/** The policy in force for the gate and its verdict for `approver` now (other people's approvals counted). */
export function getGateVerdict(ctx: TGateContext, approver: TApprover, now = new Date()): { policy: TGatePolicy; verdict: TPolicyVerdict } {
  const { CUSTODY_APPROVAL_POLICY } = getEnv();
  const policy = buildGatePolicy(CUSTODY_APPROVAL_POLICY.config, CUSTODY_APPROVAL_POLICY.source, ctx.build.pipelineSlug, ctx.job.environment);
  const otherApprovals = ctx.job.decisions.filter((d) => d.decision === "approve" && d.approverKey !== approver.key).length;
  const verdict = buildPolicyVerdict({
    policy,
    approver: { role: approver.role, label: approver.label, buildkiteUserId: approver.buildkiteUserId, keys: approver.keys },
    gate: { state: ctx.job.state, buildState: ctx.build.state, waitingSince: ctx.waitingSince, closedReason: getGateClosedReason(ctx) },
    change: ctx.parties,
    otherApprovals,
    now,
  });
  return { policy, verdict };
}
