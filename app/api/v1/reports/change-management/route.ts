// GET /api/v1/reports/change-management?from=&to=&environment=&format=csv|json|pdf — every deployment in the period with its change, CI, gates, deployer, credentials and findings; the export is audited (who: auditor, admin; role re-checked with GitLab).
import { ZReportQuery } from "@/lib/contracts/reports";
import { auditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { buildChangeManagementReport } from "@/lib/reports/build-change-management-report";
import { exportReportResponse } from "@/lib/reports/export-report-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  "/api/v1/reports/change-management",
  "GET",
  async (request, { principal, client }) => {
    const parsed = await parseRequest(request, ZReportQuery, "query");
    if (!parsed.ok) return parsed.response;
    const { from, to, environment, format } = parsed.data;
    await recordAuditEntry({ actor: auditActor(principal), action: "export", target: "change-management report", ...client, details: { format, from, to, environment } });
    return exportReportResponse(buildChangeManagementReport(parsed.data), format);
  },
  { recheckRole: true },
);
