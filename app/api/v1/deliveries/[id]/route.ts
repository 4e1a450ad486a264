// GET /api/v1/deliveries/{id}[?format=raw] — one stored delivery (redacted headers, body, SHA-256, what it is evidence for), or its body byte for byte (who: auditor or admin, session or token: raw bodies can carry pipeline variables and build env).
import { ZDeliveryQuery } from "@/lib/contracts/provenance";
import { getDelivery } from "@/lib/domain/get-delivery";
import { getDeliveryBody } from "@/lib/domain/get-delivery-body";
import { defineRoute } from "@/lib/http/define-route";
import { parseRequest } from "@/lib/http/parse-request";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>("/api/v1/deliveries/[id]", "GET", async (request, { params }) => {
  const parsed = await parseRequest(request, ZDeliveryQuery, "query");
  if (!parsed.ok) return parsed.response;
  if (parsed.data.format === "raw") {
    const raw = await getDeliveryBody(params.id);
    if (!raw) return problemResponse(404, "Not found", `No delivery ${params.id}`);
    return new Response(raw.body as BodyInit, {
      headers: { "Content-Type": "application/octet-stream", "Content-Disposition": `attachment; filename="delivery-${params.id}.body"`, "X-Content-SHA256": raw.sha256, "Cache-Control": "no-store" },
    });
  }
  const delivery = await getDelivery(params.id);
  if (!delivery) return problemResponse(404, "Not found", `No delivery ${params.id}`);
  return Response.json(delivery);
});
