// GET /api/v1/reports/completeness?from=&to=&environment=&format=csv|json|pdf — deliveries per source and day, gaps, late, failed and rejected; the export is audited (who: auditor, admin; role re-checked with GitLab).
import { ZReportQuery } from "@/lib/contracts/reports";
import { auditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { buildCompletenessReport } from "@/lib/reports/build-completeness-report";
import { exportReportResponse } from "@/lib/reports/export-report-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  "/api/v1/reports/completeness",
  "GET",
  async (request, { principal, client }) => {
    const parsed = await parseRequest(request, ZReportQuery, "query");
    if (!parsed.ok) return parsed.response;
    const { from, to, environment, format } = parsed.data;
    await recordAuditEntry({ actor: auditActor(principal), action: "export", target: "completeness report", ...client, details: { format, from, to, environment } });
    return exportReportResponse(buildCompletenessReport(parsed.data), format);
  },
  { recheckRole: true },
);
