// GET /api/v1/deployments — deployments, newest first, keyset-paged (who: any role, session or token).
import { ZDeploymentsQuery } from "@/lib/contracts/deployments";
import { findDeployments } from "@/lib/domain/find-deployments";
import { BadCursorError } from "@/lib/http/bad-cursor-error";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/deployments", "GET", async (request) => {
  const parsed = await parseRequest(request, ZDeploymentsQuery, "query");
  if (!parsed.ok) return parsed.response;
  try {
    return Response.json(await findDeployments(parsed.data));
  } catch (error) {
    if (error instanceof BadCursorError) return problemResponse(400, "Bad request", error.message);
    throw error;
  }
});
