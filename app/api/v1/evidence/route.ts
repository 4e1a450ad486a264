// GET /api/v1/evidence?from=&to=&environment= — a signed evidence pack (zip) of the period: reports, raw deliveries, ledger proofs, checkpoint, manifest and verifier; the export is audited (who: auditor, admin; role re-checked with GitLab).
import { ZEvidencePackQuery } from "@/lib/contracts/evidence-pack";
import { auditActor } from "@/lib/audit/audit-actor";
import { exportEvidencePackResponse } from "@/lib/evidence/pack/export-evidence-pack-response";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";

export const dynamic = "force-dynamic";

export const GET = defineRoute(
  "/api/v1/evidence",
  "GET",
  async (request, { principal, client }) => {
    const parsed = await parseRequest(request, ZEvidencePackQuery, "query");
    if (!parsed.ok) return parsed.response;
    return exportEvidencePackResponse(parsed.data, { ...auditActor(principal), ...client });
  },
  { recheckRole: true },
);
