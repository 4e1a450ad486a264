// POST /api/webhooks/gitlab — receive a gitlab webhook (who: the sender holding the configured gitlab secret).
import { receiveWebhook } from "@/lib/ingest/receive/receive-webhook";
import { outcomeResponse } from "@/lib/http/outcome-response";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return outcomeResponse(await receiveWebhook("gitlab", request));
}
