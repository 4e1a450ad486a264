// POST /api/ingest/credentials — OIDC claims and CloudTrail records (who: senders holding CUSTODY_INGEST_TOKEN).
import { getEnv } from "@/lib/env";
import { outcomeResponse } from "@/lib/http/outcome-response";
import { receiveCredentials } from "@/lib/ingest/receive/receive-credentials";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  const issuers = env.CUSTODY_OIDC_ISSUERS.length ? env.CUSTODY_OIDC_ISSUERS : ["https://agent.buildkite.com", env.GITLAB_URL];
  return outcomeResponse(
    await receiveCredentials(request, { tokens: env.CUSTODY_INGEST_TOKEN, maxBytes: env.CUSTODY_MAX_BODY_BYTES, issuers: issuers.map((i) => i.replace(/\/+$/, "")) }),
  );
}
