// GET /api/v1/deployments/{id} — the deploy receipt (who: any signed-in role; open until sign-in ships).
import { getDeployReceipt } from "@/lib/domain/get-deploy-receipt";
import { outcomeResponse } from "@/lib/http/outcome-response";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const receipt = await getDeployReceipt(id);
  if (!receipt) return outcomeResponse({ status: 404, body: { title: "Not found", status: 404, detail: `No deployment ${id}` } });
  return Response.json(receipt);
}
