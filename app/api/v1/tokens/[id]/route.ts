// DELETE /api/v1/tokens/{id} — revoke an API token; it stops working at its next use (who: admin).
import { auditActor } from "@/lib/audit/audit-actor";
import { revokeApiToken } from "@/lib/auth/revoke-api-token";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const DELETE = defineRoute<{ id: string }>("/api/v1/tokens/[id]", "DELETE", async (_request, { principal, params, client }) => {
  const revoked = await revokeApiToken({ idOrPrefix: params.id, actor: auditActor(principal), ...client });
  if (!revoked) return problemResponse(404, "Not found", "No such API token.");
  return Response.json(revoked);
});
