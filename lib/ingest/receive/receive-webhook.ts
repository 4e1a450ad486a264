import "server-only";
import { problemOutcome } from "@/lib/http/problem-outcome";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { logEvent } from "@/lib/shared/log-event";
import { recordDelivery, sha256Hex } from "../record-delivery.ts";
import { redactHeaders } from "../verify/redact-headers.ts";
import { verifyBuildkiteRequest } from "../verify/verify-buildkite-request.ts";
import { verifyGitlabRequest } from "../verify/verify-gitlab-request.ts";
import { BodyTooLargeError, readLimitedBody, type TIncomingRequest } from "./read-limited-body.ts";
import { countRejection } from "./count-rejection.ts";

export type TWebhookSource = "gitlab" | "buildkite";

export type TWebhookOutcome = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };


function gitlabDedupeKey(headers: Headers, body: Buffer): string {
  const id = headers.get("webhook-id") ?? headers.get("idempotency-key");
  if (id) return `id:${id}`;
  const eventUuid = headers.get("x-gitlab-event-uuid");
  if (eventUuid) return `event-uuid:${eventUuid}`;
  return `sha256:${sha256Hex(body)}`;
}

/**
 * The whole receiving path of a webhook: size limit (413) → authentication (401, counted, nothing
 * stored) → JSON (400) → durable store + enqueue in one statement → 2xx. A duplicate answers 200 and
 * stores nothing. Authentic events Custody does not use are stored and acknowledged like any other.
 * If the database cannot commit, 503 with Retry-After: never 2xx for something not stored.
 */
export async function receiveWebhook(source: TWebhookSource, request: TIncomingRequest): Promise<TWebhookOutcome> {
  const env = getEnv();
  const pool = getPool();
  const remote = request.headers.get("x-forwarded-for") ?? undefined;
  let body: Buffer;
  try {
    body = await readLimitedBody(request, env.CUSTODY_MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      await countRejection(pool, source, "too-large", { remote });
      return problemOutcome(413, "Payload too large", `Webhook bodies are limited to ${env.CUSTODY_MAX_BODY_BYTES} bytes.`);
    }
    throw error;
  }
  const now = Math.floor(Date.now() / 1000);
  const verification =
    source === "gitlab"
      ? verifyGitlabRequest({ headers: request.headers, body, now, tokens: env.GITLAB_WEBHOOK_SECRET, signingSecrets: env.GITLAB_WEBHOOK_SIGNING_TOKEN })
      : verifyBuildkiteRequest({ headers: request.headers, body, now, tokens: env.BUILDKITE_WEBHOOK_TOKEN, signingSecrets: env.BUILDKITE_WEBHOOK_SIGNING_SECRET });
  if (!verification.ok) {
    await countRejection(pool, source, verification.reason, { remote });
    const detail =
      verification.reason === "not-configured"
        ? `No ${source === "gitlab" ? "GITLAB_WEBHOOK_SECRET or GITLAB_WEBHOOK_SIGNING_TOKEN" : "BUILDKITE_WEBHOOK_TOKEN or BUILDKITE_WEBHOOK_SIGNING_SECRET"} is configured, so this endpoint refuses every request.`
        : `Authentication failed: ${verification.reason}.`;
    return problemOutcome(401, "Unauthorized", detail);
  }
  try {
    JSON.parse(body.toString("utf8"));
  } catch {
    await countRejection(pool, source, "not-json", { remote });
    return problemOutcome(400, "Bad request", "The body is not JSON.");
  }
  const eventType =
    (source === "gitlab" ? request.headers.get("x-gitlab-event") : request.headers.get("x-buildkite-event"))?.trim() || "unknown";
  const dedupeKey = source === "gitlab" ? gitlabDedupeKey(request.headers, body) : `${eventType}:${sha256Hex(body)}`;
  try {
    const result = await recordDelivery(pool, {
      source,
      eventType,
      dedupeKey,
      body,
      headers: { ...redactHeaders(request.headers.entries()) },
      verifyMethod: verification.method,
      verifyResult: `ok:key${verification.keyIndex}`,
    });
    if (result.duplicate && !result.sameBody) {
      // The same delivery id with other bytes is never a retry: keep the first evidence, refuse, and say so.
      logEvent("warn", "security.conflicting_redelivery", { source, eventType, dedupeKey, storedId: result.id });
      await countRejection(pool, source, "conflicting-redelivery", { remote });
      return problemOutcome(409, "Conflict", "A delivery with this id was already stored with a different body; the stored evidence is kept.");
    }
    if (result.duplicate) return { status: 200, body: { status: "duplicate", id: result.id } };
    return { status: 202, body: { status: "stored", id: result.id } };
  } catch (error) {
    logEvent("error", "webhook.store_failed", { source, eventType, error: (error as Error).message });
    return problemOutcome(503, "Service unavailable", "The delivery could not be stored; retry later.", { "Retry-After": "5" });
  }
}
