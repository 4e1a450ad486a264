// GET /api/v1/builds/{pipelineSlug}/{number}/provenance[?envelope=dsse] — the build's in-toto Statement with a SLSA v1 provenance predicate (merge request, approvals, gates, decisions, evidence), optionally as a DSSE envelope signed with CUSTODY_SIGNING_KEY (who: any role, session or token).
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";
import { getSigningKey } from "@/lib/evidence/get-signing-key";
import { getBuildProvenance } from "@/lib/provenance/get-build-provenance";
import { signDsseEnvelope } from "@/lib/provenance/sign-dsse-envelope";

export const dynamic = "force-dynamic";

const inTotoType = "application/vnd.in-toto+json";

export const GET = defineRoute<{ pipeline: string; number: string }>("/api/v1/builds/[pipeline]/[number]/provenance", "GET", async (request, { params }) => {
  if (!/^[0-9]{1,9}$/.test(params.number)) return problemResponse(400, "Bad request", "The build number must be a positive integer, e.g. /api/v1/builds/payments-api-deploy/981/provenance.");
  const envelope = new URL(request.url).searchParams.get("envelope");
  if (envelope !== null && envelope !== "dsse") return problemResponse(400, "Bad request", "envelope must be dsse (or left out for the bare statement).");
  const result = await getBuildProvenance(decodeURIComponent(params.pipeline), Number(params.number), new URL(request.url).origin);
  if (!result.ok) return problemResponse(result.status, result.status === 404 ? "Not found" : "Conflict", result.detail);
  const payload = JSON.stringify(result.statement);
  const headers = { "Cache-Control": "no-store", "Content-Disposition": `inline; filename="${params.pipeline}-${params.number}.intoto.json"` };
  if (!envelope) return new Response(payload, { headers: { ...headers, "Content-Type": inTotoType } });
  const key = getSigningKey();
  if (key.status !== "ok") return problemResponse(409, "Not signed", key.status === "missing" ? "No signing key is configured (CUSTODY_SIGNING_KEY); ask without envelope=dsse for the bare statement." : key.message);
  return new Response(JSON.stringify(signDsseEnvelope(inTotoType, payload, key)), { headers: { ...headers, "Content-Type": "application/vnd.dsse.envelope.v1+json" } });
});
