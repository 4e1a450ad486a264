// POST /api/v1/exports — queue a report as a background export; GET — the caller's recent exports (admins: everyone's) (who: auditor, admin; session with CSRF checks or API token; role re-checked with GitLab on POST).
import { ZCreateExportBody } from "@/lib/contracts/exports";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";
import { createExportJob } from "@/lib/exports/create-export-job";
import { findExportJobs } from "@/lib/exports/find-export-jobs";

export const dynamic = "force-dynamic";

export const POST = defineRoute(
  "/api/v1/exports",
  "POST",
  async (request, { principal, client }) => {
    const parsed = await parseRequest(request, ZCreateExportBody, "body");
    if (!parsed.ok) return parsed.response;
    const result = await createExportJob(parsed.data, principal, client);
    if (!result.ok) return problemResponse(400, "Bad request", result.detail);
    return Response.json(result.job, { status: 202, headers: { Location: `/api/v1/exports/${result.job.id}`, "Cache-Control": "no-store" } });
  },
  { recheckRole: true },
);

export const GET = defineRoute("/api/v1/exports", "GET", async (_request, { principal }) => {
  return Response.json(await findExportJobs(principal), { headers: { "Cache-Control": "no-store" } });
});
