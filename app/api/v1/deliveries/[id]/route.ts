// GET /api/v1/deliveries/{id} — one stored delivery: redacted headers, the raw body, its SHA-256 and what it is evidence for (who: any role, session or token).
import { getDelivery } from "@/lib/domain/get-delivery";
import { defineRoute } from "@/lib/http/define-route";
import { problemResponse } from "@/lib/http/problem-response";

export const dynamic = "force-dynamic";

export const GET = defineRoute<{ id: string }>("/api/v1/deliveries/[id]", "GET", async (_request, { params }) => {
  const delivery = await getDelivery(params.id);
  if (!delivery) return problemResponse(404, "Not found", `No delivery ${params.id}`);
  return Response.json(delivery);
});
