import "server-only";
import { db } from "@/lib/db";
import { auditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TPrincipal } from "@/lib/auth/principal";
import type { TApprovalResult, TApproveBody } from "@/lib/contracts/approvals";
import { problemOutcome } from "@/lib/http/problem-outcome";
import { getGateClosedReason } from "./get-gate-closed-reason.ts";
import { getGateContext } from "./get-gate-context.ts";
import { getGateVerdict } from "./get-gate-verdict.ts";
import { resolveApprover } from "./resolve-approver.ts";
import { buildGateCallOutcome } from "./build-gate-call-outcome.ts";
import { runGateCall } from "./run-gate-call.ts";

type TOutcome = { status: number; body: unknown; headers?: Record<string, string> };
type TClient = { ip: string | null; userAgent: string | null };

const ok = (status: number, body: TApprovalResult): TOutcome => ({ status, body });

/**
 * Approve a gate (a Buildkite block step) for the caller: check the policy, record the decision (the
 * intent, with the policy and its verdict), and when it completes the required number of distinct
 * approvals, ask Buildkite to unblock with the approver as `unblocker`. Idempotent per (gate, person):
 * a double click or retry returns the same decision and never unblocks twice (see runGateCall).
 * Refusals are audited with the rule that refused.
 */
export async function approveGate(gateId: string, principal: TPrincipal, body: TApproveBody, client: TClient): Promise<TOutcome> {
  const ctx = await getGateContext(gateId);
  if (!ctx) return problemOutcome(404, "Not found", `No Buildkite block step ${gateId} is known to Custody.`);
  const who = await resolveApprover(principal, body.onBehalfOf);
  if (!who.ok) return problemOutcome(principal.kind === "token" ? 400 : 401, "No approver", who.detail);
  const { approver } = who;
  const target = `${ctx.build.pipelineSlug} #${ctx.build.number}${ctx.job.label ? ` ${ctx.job.label}` : ""}`;
  const gate = { jobId: ctx.job.id, jobExternalId: ctx.job.externalId, pipeline: ctx.build.pipelineSlug, number: ctx.build.number, label: ctx.job.label };

  let decision = ctx.job.decisions.find((d) => d.approverKey === approver.key) ?? null;
  if (decision?.decision === "decline") return problemOutcome(409, "Already declined", `${decision.actorLabel} declined this gate at ${decision.decidedAt.toISOString()}; a decision is not changed afterwards.`);
  const { policy, verdict } = getGateVerdict(ctx, approver);
  if (!decision) {
    if (!verdict.allowed) {
      const failing = verdict.checks.filter((c) => !c.ok);
      await recordAuditEntry({
        actor: auditActor(principal),
        action: "approval_decision",
        outcome: "failure",
        target,
        ip: client.ip,
        userAgent: client.userAgent,
        details: { decision: "approve", gateId, approver: approver.label, refusedBy: failing.map((c) => c.rule), policy, verdict },
      });
      const title = failing.some((c) => c.rule === "gate_open") ? "Gate not waiting" : "Refused by policy";
      const status = failing.some((c) => c.rule === "gate_open") ? 409 : 403;
      const outcome = problemOutcome(status, title, failing.map((c) => c.message).join(" "));
      return { ...outcome, body: { ...outcome.body, refusedBy: failing.map((c) => c.rule), checks: verdict.checks } };
    }
    const inserted = await db.approvalDecision.createManyAndReturn({
      data: [
        {
          buildJobId: ctx.job.id,
          approverKey: approver.key,
          decision: "approve",
          userId: approver.userId,
          tokenId: approver.tokenId,
          personId: approver.personId,
          actorLabel: approver.label,
          buildkiteUserId: approver.buildkiteUserId,
          reason: body.reason || null,
          fields: body.fields ?? undefined,
          policy,
          verdict,
        },
      ],
      skipDuplicates: true,
    });
    decision = inserted[0] ?? (await db.approvalDecision.findUniqueOrThrow({ where: { buildJobId_approverKey: { buildJobId: ctx.job.id, approverKey: approver.key } } }));
    if (inserted[0]) {
      await recordAuditEntry({
        actor: auditActor(principal),
        action: "approval_decision",
        target,
        ip: client.ip,
        userAgent: client.userAgent,
        details: { decision: "approve", gateId, decisionId: decision.id, approver: approver.label, buildkiteUserId: approver.buildkiteUserId, policy, verdict },
      });
    }
  }

  // Whoever decided before, a gate that is closed now (declined, canceled, handled elsewhere) is not
  // opened by a repeated approve; runGateCall re-checks declines under its claim, too.
  const closed = getGateClosedReason(ctx);
  if (closed && ctx.job.gateAction?.state !== "done") return problemOutcome(409, "Gate not waiting", closed);
  const expired = verdict.checks.find((c) => c.rule === "gate_age" && !c.ok);
  if (expired && (!ctx.job.gateAction || ctx.job.gateAction.state === "failed")) return problemOutcome(403, "Refused by policy", expired.message);

  const approvals = await db.approvalDecision.count({ where: { buildJobId: ctx.job.id, decision: "approve" } });
  const counts = { approvals, required: policy.requiredApprovals };
  if (approvals < policy.requiredApprovals) {
    const missing = policy.requiredApprovals - approvals;
    return ok(202, {
      gateId,
      state: "awaiting_approvals",
      message: `Approval recorded: ${approvals} of ${policy.requiredApprovals}. ${missing === 1 ? "One more approver" : `${missing} more approvers`} (someone other than ${approver.label}) must approve before Buildkite is asked to unblock.`,
      ...counts,
    });
  }
  const call = await runGateCall(gate, { kind: "unblock", decisionId: decision.id, unblocker: decision.buildkiteUserId ?? approver.buildkiteUserId, fields: (decision.fields as Record<string, string> | null) ?? body.fields });
  return buildGateCallOutcome(gateId, call, counts);
}
