// GET|POST /api/v1/tokens — list API tokens, or create one and show it once (who: admin).
import { ZApiTokenCreate } from "@/lib/contracts/api-tokens";
import { auditActor } from "@/lib/audit/audit-actor";
import { createApiToken } from "@/lib/auth/create-api-token";
import { findApiTokens } from "@/lib/auth/find-api-tokens";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { parseDuration } from "@/lib/shared/parse-duration";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/tokens", "GET", async () => Response.json(await findApiTokens(), { headers: { "Cache-Control": "no-store" } }));

export const POST = defineRoute("/api/v1/tokens", "POST", async (request, { principal, client }) => {
  const parsed = await parseRequest(request, ZApiTokenCreate, "body");
  if (!parsed.ok) return parsed.response;
  const { name, role, expiresIn } = parsed.data;
  const created = await createApiToken({ name, role, expiresInSeconds: expiresIn === "never" ? null : parseDuration(expiresIn), actor: auditActor(principal), ...client });
  return Response.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
});
