// GET /api/v1/backfills/{id} — one run's state and progress (who: admin).
import { findBackfillRuns } from "@/lib/backfill/find-backfill-runs";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>("/api/v1/backfills/[id]", "GET", async (_request, { params }) => {
  const run = await findBackfillRuns(params.id);
  if (!run) return problemResponse(404, "Not found", "No backfill run with this id.");
  return Response.json(run, { headers: { "Cache-Control": "no-store" } });
});
