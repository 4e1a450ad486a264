// GET|POST /api/v1/people/links — accounts without a person, or map an account to a person by hand (who: admin).
import { ZAccountLinkCreate } from "@/lib/contracts/people";
import { auditActor } from "@/lib/audit/audit-actor";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";
import { findUnlinkedAccounts } from "@/lib/people/find-unlinked-accounts";
import { linkAccount } from "@/lib/people/link-account";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/people/links", "GET", async () => Response.json(await findUnlinkedAccounts(), { headers: { "Cache-Control": "no-store" } }));

export const POST = defineRoute("/api/v1/people/links", "POST", async (request, { principal, client }) => {
  const parsed = await parseRequest(request, ZAccountLinkCreate, "body");
  if (!parsed.ok) return parsed.response;
  const { accountId, personId, reason } = parsed.data;
  const outcome = await linkAccount(accountId, personId, { actor: auditActor(principal), reason, ...client });
  if (!outcome.ok) return problemResponse(outcome.status, "Not found", outcome.detail);
  return Response.json(outcome.account);
});
