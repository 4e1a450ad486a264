// GET /api/v1/reports/credentials?from=&to=&environment=&format=csv|json|pdf — short-lived credentials and role sessions with lifetimes and findings; the export is audited (who: auditor, admin; role re-checked with GitLab).
import { ZReportQuery } from "@/lib/contracts/reports";
import { auditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { buildCredentialsReport } from "@/lib/reports/build-credentials-report";
import { exportReportResponse } from "@/lib/reports/export-report-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  "/api/v1/reports/credentials",
  "GET",
  async (request, { principal, client }) => {
    const parsed = await parseRequest(request, ZReportQuery, "query");
    if (!parsed.ok) return parsed.response;
    const { from, to, environment, format } = parsed.data;
    await recordAuditEntry({ actor: auditActor(principal), action: "export", target: "credentials report", ...client, details: { format, from, to, environment } });
    return exportReportResponse(buildCredentialsReport(parsed.data), format);
  },
  { recheckRole: true },
);
