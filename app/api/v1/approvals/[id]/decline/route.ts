// POST /api/v1/approvals/{id}/decline — decline a gate with a reason; cancels the build when the pipeline's policy says so (who: approver; session with CSRF checks or API token with onBehalfOf; groups re-checked).
import { declineGate } from "@/lib/approvals/decline-gate";
import { ZDeclineBody } from "@/lib/contracts/approvals";
import { defineRoute } from "@/lib/http/define-route";
import { outcomeResponse } from "@/lib/http/outcome-response";
import { parseRequest } from "@/lib/http/parse-request";

export const dynamic = "force-dynamic";

export const POST = defineRoute<{ id: string }>(
  "/api/v1/approvals/[id]/decline",
  "POST",
  async (request, { principal, params, client }) => {
    const parsed = await parseRequest(request, ZDeclineBody, "body");
    if (!parsed.ok) return parsed.response;
    return outcomeResponse(await declineGate(params.id, principal, parsed.data, client));
  },
  { recheckRole: true },
);
