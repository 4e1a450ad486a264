// GET /api/v1/exports/{id}/download — the stored result of a finished background export; the download is audited (who: auditor, admin; only the requester, or an admin; role re-checked with GitLab).
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";
import { exportJobDownload } from "@/lib/exports/export-job-download";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>(
  "/api/v1/exports/[id]/download",
  "GET",
  async (_request, { principal, params, client }) => {
    const result = await exportJobDownload(params.id, principal, client);
    if (!result.ok) return problemResponse(result.status, result.status === 404 ? "Not found" : "Not ready", result.detail);
    return new Response(result.body, {
      headers: {
        "Content-Type": result.contentType,
        "Content-Disposition": `attachment; filename="${result.filename}"`,
        "Content-Length": String(result.size),
        Digest: `sha-256=${Buffer.from(result.sha256, "hex").toString("base64")}`,
        "Cache-Control": "no-store",
      },
    });
  },
  { recheckRole: true },
);
