// GET /api/v1/audit/export?format=csv|json — download the audit trail; the export itself is audited (who: auditor, admin; role re-checked with GitLab).
import { ZAuditExportQuery } from "@/lib/contracts/audit";
import { auditActor } from "@/lib/audit/audit-actor";
import { exportAuditEntries } from "@/lib/audit/export-audit-entries";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  "/api/v1/audit/export",
  "GET",
  async (request, { principal, client }) => {
    const parsed = await parseRequest(request, ZAuditExportQuery, "query");
    if (!parsed.ok) return parsed.response;
    const { format, from, to } = parsed.data;
    await recordAuditEntry({ actor: auditActor(principal), action: "export", target: "audit trail", ...client, details: { format, from: from ?? null, to: to ?? null } });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return new Response(exportAuditEntries(parsed.data), {
      headers: {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="custody-audit-${stamp}.${format}"`,
        "Cache-Control": "no-store",
      },
    });
  },
  { recheckRole: true },
);
