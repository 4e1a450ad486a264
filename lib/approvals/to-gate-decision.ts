import type { TGateDecision } from "@/lib/contracts/approvals";
import type { TGateContext } from "./get-gate-context.ts";

/** A decision row as shown on the approvals page and the receipt. */
export function toGateDecision(d: TGateContext["job"]["decisions"][number]): TGateDecision {
  const verdict = d.verdict as { allowed?: boolean } | null;
  const policy = d.policy as { source?: string } | null;
  return {
    id: d.id,
    decision: d.decision === "decline" ? "decline" : "approve",
    by: d.actorLabel,
    at: d.decidedAt.toISOString(),
    reason: d.reason,
    buildkiteUserId: d.buildkiteUserId,
    allowed: verdict?.allowed ?? false,
    policySource: policy?.source ?? "unknown",
  };
}
