import "server-only";
import { problemOutcome } from "@/lib/http/problem-outcome";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { logEvent } from "@/lib/shared/log-event";
import { recordDelivery, sha256Hex } from "../record-delivery.ts";
import { redactHeaders } from "../verify/redact-headers.ts";
import { constantTimeEqual } from "../verify/constant-time-equal.ts";
import { BodyTooLargeError, readLimitedBody, type TIncomingRequest } from "./read-limited-body.ts";
import { countRejection } from "./count-rejection.ts";
import type { TWebhookOutcome } from "./receive-webhook.ts";

const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;


type TCredentialsIngestOptions = { tokens: string[]; maxBytes: number; issuers: string[] };

// Accepted issuers default to Buildkite's agent OIDC issuer and the configured GitLab.
function credentialsIngestOptions(): TCredentialsIngestOptions {
  const env = getEnv();
  const issuers = env.CUSTODY_OIDC_ISSUERS.length ? env.CUSTODY_OIDC_ISSUERS : ["https://agent.buildkite.com", env.GITLAB_URL];
  return { tokens: env.CUSTODY_INGEST_TOKEN, maxBytes: env.CUSTODY_MAX_BODY_BYTES, issuers: issuers.map((i) => i.replace(/\/+$/, "")) };
}

/**
 * POST /api/ingest/credentials: OIDC claims from CI jobs, CloudTrail files or EventBridge events,
 * authorized by a bearer ingest token. Stored raw and processed like webhooks. A body carrying a
 * signed JWT is refused (422) and not stored: Custody keeps claims, never usable tokens.
 */
export async function receiveCredentials(
  request: TIncomingRequest,
  options: TCredentialsIngestOptions = credentialsIngestOptions(),
): Promise<TWebhookOutcome> {
  const pool = getPool();
  if (!options.tokens.length) {
    await countRejection(pool, "credentials", "not-configured", {});
    return problemOutcome(401, "Unauthorized", "No CUSTODY_INGEST_TOKEN is configured, so this endpoint refuses every request.");
  }
  const header = request.headers.get("authorization") ?? "";
  const presented = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
  const index = presented ? options.tokens.findIndex((t) => constantTimeEqual(t, presented)) : -1;
  if (index < 0) {
    await countRejection(pool, "credentials", presented ? "bad-token" : "missing-auth", {});
    return problemOutcome(401, "Unauthorized", "Send Authorization: Bearer <CUSTODY_INGEST_TOKEN>.");
  }
  let body: Buffer;
  try {
    body = await readLimitedBody(request, options.maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      await countRejection(pool, "credentials", "too-large", {});
      return problemOutcome(413, "Payload too large", `Bodies are limited to ${options.maxBytes} bytes; split CloudTrail files.`);
    }
    throw error;
  }
  const text = body.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    await countRejection(pool, "credentials", "not-json", {});
    return problemOutcome(400, "Bad request", "The body is not JSON.");
  }
  if (JWT.test(text)) {
    await countRejection(pool, "credentials", "contains-token", {});
    return problemOutcome(422, "Token refused", "The body contains a signed JWT. Send the decoded claims only ({\"kind\":\"oidc-claims\",\"claims\":{…}}); Custody never stores usable tokens.");
  }
  // JSON that is not an object (null, a number) is stored as an unknown record and marked invalid later.
  const record = (json !== null && typeof json === "object" ? json : {}) as { kind?: unknown; Records?: unknown; "detail-type"?: unknown; claims?: { iss?: unknown; jti?: unknown } };
  const issuer = record.kind === "oidc-claims" ? record.claims?.iss : undefined;
  if (typeof issuer === "string" && !options.issuers.includes(issuer.replace(/\/+$/, ""))) {
    await countRejection(pool, "credentials", "unknown-issuer", {});
    return problemOutcome(422, "Unknown issuer", `Claims from issuer "${issuer.slice(0, 200)}" are not accepted; allowed issuers: ${options.issuers.join(", ")} (CUSTODY_OIDC_ISSUERS).`);
  }
  const eventType = record.kind === "oidc-claims" ? "oidc-claims" : Array.isArray(record.Records) ? "cloudtrail-file" : record["detail-type"] ? "eventbridge-event" : "unknown";
  // A token id (jti) is unique per issuer: a second post of the same token's claims is a duplicate.
  const dedupeKey =
    eventType === "oidc-claims" && typeof record.claims?.iss === "string" && typeof record.claims?.jti === "string"
      ? `jti:${record.claims.iss}:${record.claims.jti}`
      : `sha256:${sha256Hex(body)}`;
  try {
    const result = await recordDelivery(pool, {
      source: "credentials",
      eventType,
      dedupeKey,
      body,
      headers: { ...redactHeaders(request.headers.entries()) },
      verifyMethod: "ingest-token",
      verifyResult: `ok:key${index}`,
    });
    if (result.duplicate && !result.sameBody) {
      await countRejection(pool, "credentials", "duplicate-jti", {});
      return problemOutcome(409, "Conflict", "Claims with this issuer and jti were already stored with different content; a token id is used once.");
    }
    if (result.duplicate) return { status: 200, body: { status: "duplicate", id: result.id } };
    return { status: 202, body: { status: "stored", id: result.id } };
  } catch (error) {
    logEvent("error", "credentials.store_failed", { error: (error as Error).message });
    return problemOutcome(503, "Service unavailable", "The record could not be stored; retry later.", { "Retry-After": "5" });
  }
}
