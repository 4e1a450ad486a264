// GET /api/v1/deployments/{id}[?format=json|pdf] — the deploy receipt with Custody's gate decisions, or a JSON/PDF download of it; downloads are audited (who: any role, session or token).
import { ZDeployReceiptQuery } from "@/lib/contracts/deployments";
import { auditActor } from "@/lib/audit/audit-actor";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { findGateDecisions } from "@/lib/approvals/find-gate-decisions";
import { getDeployReceipt } from "@/lib/domain/get-deploy-receipt";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";
import { buildDeployReceiptPdf } from "@/lib/reports/build-deploy-receipt-pdf";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>("/api/v1/deployments/[id]", "GET", async (request, { params, principal, client }) => {
  const parsed = await parseRequest(request, ZDeployReceiptQuery, "query");
  if (!parsed.ok) return parsed.response;
  const receipt = await getDeployReceipt(params.id);
  if (!receipt) return problemResponse(404, "Not found", `No deployment ${params.id}`);
  const gateDecisions = await findGateDecisions(receipt.builds.map((b) => ({ pipeline: b.pipeline, number: b.number })));
  const { format } = parsed.data;
  if (!format) return Response.json({ ...receipt, gateDecisions });
  await recordAuditEntry({ actor: auditActor(principal), action: "export", target: `deploy receipt ${receipt.id}`, ...client, details: { format } });
  const body = format === "pdf" ? buildDeployReceiptPdf(receipt) : JSON.stringify({ ...receipt, gateDecisions }, null, 2);
  return new Response(body as BodyInit, {
    headers: {
      "Content-Type": format === "pdf" ? "application/pdf" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="custody-receipt-${receipt.id}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
});
