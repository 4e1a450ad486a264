import "server-only";
import { createHmac } from "node:crypto";
import { constantTimeEqual } from "./constant-time-equal";
import type { HeaderReader } from "./verify-gitlab-request";

export type VerifyBuildkiteRequestInput = {
  headers: HeaderReader;
  /** The raw request bytes, exactly as received; never a re-serialised JSON value. */
  body: Uint8Array;
  /** Current time in unix seconds; fractions are dropped. */
  now: number;
  /** Accepted `X-Buildkite-Token` values (webhook "Token", sent as a token). */
  tokens: readonly string[];
  /** Accepted HMAC keys for `X-Buildkite-Signature` (webhook "Token", sent as a signature). */
  signingSecrets: readonly string[];
};

export type VerifyBuildkiteRequestResult =
  | { ok: true; method: "buildkite-signature" | "buildkite-token"; keyIndex: number }
  | {
      ok: false;
      reason:
        | "not-configured"
        | "missing-auth"
        | "bad-token"
        | "malformed-signature"
        | "bad-signature"
        | "stale-timestamp"
        | "future-timestamp";
    };

const TOLERANCE_SECONDS = 300;
// Lowercase hex only and no leading zeros in the timestamp: the MAC is compared as text and the
// timestamp text is what was signed, so every accepted header has exactly one spelling.
const SIGNATURE_HEADER = /^timestamp=(0|[1-9][0-9]{0,11}),signature=([0-9a-f]{64})$/;

function verifySignature(header: string, input: VerifyBuildkiteRequestInput): VerifyBuildkiteRequestResult {
  const match = SIGNATURE_HEADER.exec(header);
  const timestamp = match?.[1];
  const presented = match?.[2];
  if (timestamp === undefined || presented === undefined) return { ok: false, reason: "malformed-signature" };

  let keyIndex = -1;
  input.signingSecrets.forEach((secret, index) => {
    if (secret.length === 0 || keyIndex >= 0) return;
    const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(input.body).digest("hex");
    if (constantTimeEqual(presented, expected)) keyIndex = index;
  });
  if (keyIndex < 0) return { ok: false, reason: "bad-signature" };

  // Verify, then check the timestamp (Buildkite's documented order): stale/future are only ever
  // reported for authentic messages, so they point at clock skew or a replay, not at a forgery.
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor(input.now);
  if (!(seconds - nowSeconds <= TOLERANCE_SECONDS)) return { ok: false, reason: "future-timestamp" };
  if (!(nowSeconds - seconds <= TOLERANCE_SECONDS)) return { ok: false, reason: "stale-timestamp" };
  return { ok: true, method: "buildkite-signature", keyIndex };
}

/**
 * Authenticates a Buildkite webhook delivery on its raw bytes. Buildkite sends either
 * `X-Buildkite-Signature: timestamp=<unix>,signature=<hex HMAC-SHA256(secret, "<ts>.<body>")>`
 * (±300 s inclusive) or `X-Buildkite-Token`; either suffices when that method is configured.
 *
 * When signing secrets are configured and a signature header is present, the signature decides:
 * a malformed or wrong signature does not fall back to a token. Nothing configured refuses every
 * request (`not-configured`). Never throws on header content. Does not dedupe.
 */
export function verifyBuildkiteRequest(input: VerifyBuildkiteRequestInput): VerifyBuildkiteRequestResult {
  const signingConfigured = input.signingSecrets.some((secret) => secret.length > 0);
  const tokensConfigured = input.tokens.some((token) => token.length > 0);
  if (!signingConfigured && !tokensConfigured) return { ok: false, reason: "not-configured" };

  const signature = input.headers.get("x-buildkite-signature");
  if (signingConfigured && signature != null) return verifySignature(signature, input);

  const token = input.headers.get("x-buildkite-token");
  if (tokensConfigured && token != null) {
    let keyIndex = -1;
    input.tokens.forEach((candidate, index) => {
      if (candidate.length > 0 && constantTimeEqual(token, candidate) && keyIndex < 0) keyIndex = index;
    });
    return keyIndex >= 0 ? { ok: true, method: "buildkite-token", keyIndex } : { ok: false, reason: "bad-token" };
  }
  return { ok: false, reason: "missing-auth" };
}
