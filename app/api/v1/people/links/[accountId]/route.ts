// DELETE /api/v1/people/links/{accountId} — an admin's decision that an account belongs to no person; body {reason} (who: admin).
import { ZAccountUnlink } from "@/lib/contracts/people";
import { auditActor } from "@/lib/audit/audit-actor";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";
import { unlinkAccount } from "@/lib/people/unlink-account";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DELETE = defineRoute<{ accountId: string }>("/api/v1/people/links/[accountId]", "DELETE", async (request, { principal, params, client }) => {
  const parsed = await parseRequest(request, ZAccountUnlink, "body");
  if (!parsed.ok) return parsed.response;
  if (!UUID.test(params.accountId)) return problemResponse(404, "Not found", `No account ${params.accountId}.`);
  const outcome = await unlinkAccount(params.accountId, { actor: auditActor(principal), reason: parsed.data.reason, ...client });
  if (!outcome.ok) return problemResponse(outcome.status, "Not found", outcome.detail);
  return Response.json(outcome.account);
});
