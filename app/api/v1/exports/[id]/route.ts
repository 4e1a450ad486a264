// GET /api/v1/exports/{id} — state and progress of one background export (who: auditor, admin; only the requester, or an admin).
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";
import { getExportJob } from "@/lib/exports/get-export-job";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>("/api/v1/exports/[id]", "GET", async (_request, { principal, params }) => {
  const job = await getExportJob(params.id, principal);
  if (!job) return problemResponse(404, "Not found", "No such export (it may have expired, or belong to someone else).");
  return Response.json(job, { headers: { "Cache-Control": "no-store" } });
});
