// GET /api/v1/deployments/{id} — the deploy receipt with Custody's gate decisions (who: any role, session or token).
import { findGateDecisions } from "@/lib/approvals/find-gate-decisions";
import { getDeployReceipt } from "@/lib/domain/get-deploy-receipt";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>("/api/v1/deployments/[id]", "GET", async (_request, { params }) => {
  const receipt = await getDeployReceipt(params.id);
  if (!receipt) return problemResponse(404, "Not found", `No deployment ${params.id}`);
  const gateDecisions = await findGateDecisions(receipt.builds.map((b) => ({ pipeline: b.pipeline, number: b.number })));
  return Response.json({ ...receipt, gateDecisions });
});
