import "server-only";
import { db } from "@/lib/db";
import { auditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TPrincipal } from "@/lib/auth/principal";
import type { TDeclineBody } from "@/lib/contracts/approvals";
import { problemOutcome } from "@/lib/http/problem-outcome";
import { buildGateCallOutcome } from "./build-gate-call-outcome.ts";
import { getGateContext } from "./get-gate-context.ts";
import { getGateVerdict } from "./get-gate-verdict.ts";
import { resolveApprover } from "./resolve-approver.ts";
import { runGateCall } from "./run-gate-call.ts";

type TClient = { ip: string | null; userAgent: string | null };

/**
 * Decline a waiting gate: records the decision with its reason (and the policy in force), which closes
 * the gate in Custody; when the policy says so for this pipeline, cancels the build in Buildkite (once,
 * like unblock). Needs the approver role but not independence from the change: anyone who may approve
 * may stop a deploy. Idempotent per (gate, person).
 */
export async function declineGate(gateId: string, principal: TPrincipal, body: TDeclineBody, client: TClient) {
  const ctx = await getGateContext(gateId);
  if (!ctx) return problemOutcome(404, "Not found", `No Buildkite block step ${gateId} is known to Custody.`);
  const who = await resolveApprover(principal, body.onBehalfOf);
  if (!who.ok) return problemOutcome(principal.kind === "token" ? 400 : 401, "No approver", who.detail);
  const { approver } = who;
  const target = `${ctx.build.pipelineSlug} #${ctx.build.number}${ctx.job.label ? ` ${ctx.job.label}` : ""}`;
  const { policy, verdict } = getGateVerdict(ctx, approver);
  let decision = ctx.job.decisions.find((d) => d.approverKey === approver.key) ?? null;
  if (decision?.decision === "approve") return problemOutcome(409, "Already approved", `${decision.actorLabel} approved this gate at ${decision.decidedAt.toISOString()}; a decision is not changed afterwards.`);
  if (!decision) {
    const blocking = verdict.checks.filter((c) => (c.rule === "approver_role" || c.rule === "gate_open") && !c.ok);
    if (blocking.length) {
      await recordAuditEntry({ actor: auditActor(principal), action: "approval_decision", outcome: "failure", target, ip: client.ip, userAgent: client.userAgent, details: { decision: "decline", gateId, approver: approver.label, refusedBy: blocking.map((c) => c.rule), policy } });
      return problemOutcome(blocking.some((c) => c.rule === "gate_open") ? 409 : 403, blocking.some((c) => c.rule === "gate_open") ? "Gate not waiting" : "Refused by policy", blocking.map((c) => c.message).join(" "));
    }
    const inserted = await db.approvalDecision.createManyAndReturn({
      data: [{ buildJobId: ctx.job.id, approverKey: approver.key, decision: "decline", userId: approver.userId, tokenId: approver.tokenId, personId: approver.personId, actorLabel: approver.label, buildkiteUserId: approver.buildkiteUserId, reason: body.reason, policy, verdict }],
      skipDuplicates: true,
    });
    decision = inserted[0] ?? (await db.approvalDecision.findUniqueOrThrow({ where: { buildJobId_approverKey: { buildJobId: ctx.job.id, approverKey: approver.key } } }));
    if (inserted[0]) {
      await recordAuditEntry({ actor: auditActor(principal), action: "approval_decision", target, ip: client.ip, userAgent: client.userAgent, details: { decision: "decline", gateId, decisionId: decision.id, approver: approver.label, reason: body.reason, policy, cancelsBuild: policy.declineCancelsBuild } });
    }
  }
  const counts = { approvals: ctx.job.decisions.filter((d) => d.decision === "approve").length, required: policy.requiredApprovals };
  if (!policy.declineCancelsBuild) {
    return { status: 200, body: { gateId, state: "declined" as const, message: `Declined: ${decision.reason ?? ""}. The build stays blocked in Buildkite (this pipeline's policy does not cancel on decline); Custody refuses further approvals.`, ...counts } };
  }
  const call = await runGateCall({ jobId: ctx.job.id, jobExternalId: ctx.job.externalId, pipeline: ctx.build.pipelineSlug, number: ctx.build.number, label: ctx.job.label }, { kind: "cancel", decisionId: decision.id, unblocker: null });
  if (call.kind === "done") return { status: 200, body: { gateId, state: "declined" as const, message: `Declined and canceled ${target} in Buildkite.`, ...counts } };
  return buildGateCallOutcome(gateId, call, counts);
}
