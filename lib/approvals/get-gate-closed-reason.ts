import type { TGateContext } from "./get-gate-context.ts";

/** Why Custody considers the gate closed already (declined, unblocked, canceled), or null. */
export function getGateClosedReason(ctx: TGateContext): string | null {
  const decline = ctx.job.decisions.find((d) => d.decision === "decline");
  if (decline) return `Declined by ${decline.actorLabel}${decline.reason ? `: ${decline.reason}` : ""}.`;
  const action = ctx.job.gateAction;
  if (action?.kind === "unblock" && action.state === "done") return "Already unblocked through Custody.";
  if (action && (action.state === "elsewhere" || action.state === "canceled")) return action.message ?? "Closed in Buildkite.";
  return null;
}
