// GET /api/v1/deployments/{id} — the deploy receipt (who: any role, session or token).
import { getDeployReceipt } from "@/lib/domain/get-deploy-receipt";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>("/api/v1/deployments/[id]", "GET", async (_request, { params }) => {
  const receipt = await getDeployReceipt(params.id);
  if (!receipt) return problemResponse(404, "Not found", `No deployment ${params.id}`);
  return Response.json(receipt);
});
