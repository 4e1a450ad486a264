// GET|POST /api/v1/backfills — the latest backfill and reconciliation runs, or start a backfill (who: admin).
import { ZBackfillCreate } from "@/lib/contracts/backfills";
import { auditActor } from "@/lib/audit/audit-actor";
import { findBackfillRuns } from "@/lib/backfill/find-backfill-runs";
import { requestBackfill } from "@/lib/backfill/request-backfill";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute("/api/v1/backfills", "GET", async () => Response.json(await findBackfillRuns(), { headers: { "Cache-Control": "no-store" } }));

export const POST = defineRoute("/api/v1/backfills", "POST", async (request, { principal, client }) => {
  const parsed = await parseRequest(request, ZBackfillCreate, "body");
  if (!parsed.ok) return parsed.response;
  const outcome = await requestBackfill(parsed.data, { actor: auditActor(principal), ...client });
  if (!outcome.ok) return problemResponse(outcome.status, "Backfill unavailable", outcome.detail);
  return Response.json({ id: outcome.id, resumed: outcome.resumed }, { status: outcome.resumed ? 200 : 202 });
});
