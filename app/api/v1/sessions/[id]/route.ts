// DELETE /api/v1/sessions/{id} — end someone's session at their next request (who: admin).
import { auditActor } from "@/lib/audit/audit-actor";
import { revokeSession } from "@/lib/auth/revoke-session";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const DELETE = defineRoute<{ id: string }>("/api/v1/sessions/[id]", "DELETE", async (_request, { principal, params, client }) => {
  const ended = await revokeSession({ sessionId: params.id, action: "session_revoked", actor: auditActor(principal), ...client });
  if (!ended) return problemResponse(404, "Not found", "No live session with that id.");
  return new Response(null, { status: 204 });
});
