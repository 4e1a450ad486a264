// GET /api/v1/deployments — deployments, newest first, keyset-paged (who: any signed-in role; open until sign-in ships).
import { ZDeploymentsQuery } from "@/lib/contracts/deployments";
import { BadCursorError, findDeployments } from "@/lib/domain/find-deployments";
import { outcomeResponse } from "@/lib/http/outcome-response";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const parsed = ZDeploymentsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return outcomeResponse({ status: 400, body: { title: "Bad request", status: 400, detail: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") } });
  }
  try {
    return Response.json(await findDeployments(parsed.data));
  } catch (error) {
    if (error instanceof BadCursorError) return outcomeResponse({ status: 400, body: { title: "Bad request", status: 400, detail: error.message } });
    throw error;
  }
}
