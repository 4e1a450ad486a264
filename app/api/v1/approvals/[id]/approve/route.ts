// POST /api/v1/approvals/{id}/approve — approve a gate under policy; unblocks it in Buildkite once enough people approved (who: approver; session with CSRF checks or API token with onBehalfOf; groups re-checked).
import { approveGate } from "@/lib/approvals/approve-gate";
import { ZApproveBody } from "@/lib/contracts/approvals";
import { defineRoute } from "@/lib/http/define-route";
import { outcomeResponse } from "@/lib/http/outcome-response";
import { parseRequest } from "@/lib/http/parse-request";

export const dynamic = "force-dynamic";

export const POST = defineRoute<{ id: string }>(
  "/api/v1/approvals/[id]/approve",
  "POST",
  async (request, { principal, params, client }) => {
    const parsed = await parseRequest(request, ZApproveBody, "body");
    if (!parsed.ok) return parsed.response;
    return outcomeResponse(await approveGate(params.id, principal, parsed.data, client));
  },
  { recheckRole: true },
);
