// POST /api/webhooks/buildkite — receive a buildkite webhook (who: the sender holding the configured buildkite secret).
import { receiveWebhook } from "@/lib/ingest/receive/receive-webhook";
import { outcomeResponse } from "@/lib/http/outcome-response";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return outcomeResponse(await receiveWebhook("buildkite", request));
}
