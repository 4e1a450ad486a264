// POST /api/ingest/credentials — OIDC claims and CloudTrail records (who: senders holding CUSTODY_INGEST_TOKEN).
import { outcomeResponse } from "@/lib/http/outcome-response";
import { receiveCredentials } from "@/lib/ingest/receive/receive-credentials";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return outcomeResponse(await receiveCredentials(request));
}
