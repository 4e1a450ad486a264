import type { TApprovalResult } from "@/lib/contracts/approvals";
import { problemOutcome } from "@/lib/http/problem-outcome";
import type { TGateCallResult } from "./run-gate-call.ts";

type TOutcome = { status: number; body: unknown; headers?: Record<string, string> };
const ok = (status: number, body: TApprovalResult): TOutcome => ({ status, body });

/** Maps the gate call to the HTTP outcome of approve/decline. */
export function buildGateCallOutcome(gateId: string, call: TGateCallResult, counts: { approvals: number; required: number }): TOutcome {
  switch (call.kind) {
    case "done":
      return ok(200, { gateId, state: call.state, message: call.message, ...counts });
    case "busy":
      return ok(202, { gateId, state: "in_progress", message: call.message, ...counts });
    case "unknown":
      return problemOutcome(504, "Buildkite did not confirm", call.message, { "Retry-After": "30" });
    case "closed":
      return problemOutcome(409, call.state === "canceled" ? "Build canceled" : "Already unblocked elsewhere", call.message);
    case "failed":
      return problemOutcome(call.failure.status, call.failure.title, call.failure.detail, call.failure.headers);
  }
}
