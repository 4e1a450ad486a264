import "server-only";
import { createHmac } from "node:crypto";
import { constantTimeEqual } from "./constant-time-equal";

/** Anything with a case-insensitive `get`, such as the Fetch `Headers`. Names are asked in lowercase. */
export type HeaderReader = { get(name: string): string | null | undefined };

export type VerifyGitlabRequestInput = {
  headers: HeaderReader;
  /** The raw request bytes, exactly as received; never a re-serialised JSON value. */
  body: Uint8Array;
  /** Current time in unix seconds; fractions are dropped. */
  now: number;
  /** Accepted `X-Gitlab-Token` values (the hook's "Secret token"). */
  tokens: readonly string[];
  /** Accepted signing tokens, `whsec_<base64 key>` (the hook's "Signing token", GitLab 19.0+). */
  signingSecrets: readonly string[];
};

export type VerifyGitlabRequestResult =
  | { ok: true; method: "gitlab-signature" | "gitlab-token"; keyIndex: number }
  | {
      ok: false;
      reason:
        | "not-configured"
        | "missing-auth"
        | "bad-token"
        | "malformed-signature"
        | "bad-signature"
        | "stale-timestamp"
        | "future-timestamp"
        | "bad-webhook-id";
    };

const TOLERANCE_SECONDS = 300;
// Unix seconds without leading zeros: the header text is what was signed, so one value has one spelling.
const TIMESTAMP = /^(?:0|[1-9][0-9]{0,11})$/;
// The id is signed as `${id}.${ts}.`; a "." in it would let id and timestamp trade characters.
const WEBHOOK_ID = /^[A-Za-z0-9_-]{1,128}$/;
// HMAC-SHA256 is 32 bytes: 43 base64 characters and one "=". Compared as text, so a flip in the
// last character's unused bits cannot decode to the same MAC.
const V1_ENTRY = /^v1,([A-Za-z0-9+/]{43}=)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeSigningSecret(secret: string): Buffer | null {
  const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  if (!BASE64.test(encoded)) return null;
  const key = Buffer.from(encoded, "base64");
  return key.length > 0 ? key : null;
}

function matchToken(presented: string, tokens: readonly string[]): number {
  let matched = -1;
  tokens.forEach((token, index) => {
    if (token.length > 0 && constantTimeEqual(presented, token) && matched < 0) matched = index;
  });
  return matched;
}

function verifySignature(
  input: VerifyGitlabRequestInput,
): { ok: true; keyIndex: number } | Extract<VerifyGitlabRequestResult, { ok: false }> {
  const id = input.headers.get("webhook-id");
  const timestamp = input.headers.get("webhook-timestamp");
  const signature = input.headers.get("webhook-signature");
  if (id == null || timestamp == null || signature == null) return { ok: false, reason: "missing-auth" };
  if (!WEBHOOK_ID.test(id)) return { ok: false, reason: "bad-webhook-id" };
  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: "malformed-signature" };

  // Entries of other versions (v1a, future v2) and garbage are skipped, as the spec asks, so a sender
  // can list several signatures while it rotates keys or schemes.
  const presented = signature
    .split(" ")
    .map((entry) => V1_ENTRY.exec(entry)?.[1])
    .filter((mac): mac is string => mac !== undefined);
  if (presented.length === 0) return { ok: false, reason: "malformed-signature" };

  let keyIndex = -1;
  input.signingSecrets.forEach((secret, index) => {
    const key = decodeSigningSecret(secret);
    if (key === null || keyIndex >= 0) return;
    const expected = createHmac("sha256", key)
      .update(`${id}.${timestamp}.`)
      .update(input.body)
      .digest("base64");
    if (presented.some((mac) => constantTimeEqual(mac, expected))) keyIndex = index;
  });
  if (keyIndex < 0) return { ok: false, reason: "bad-signature" };

  // Checked after the MAC so that "stale" and "future" are only ever said of authentic messages,
  // which makes them a clock-skew signal rather than noise from forgeries.
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor(input.now);
  if (!(seconds - nowSeconds <= TOLERANCE_SECONDS)) return { ok: false, reason: "future-timestamp" };
  if (!(nowSeconds - seconds <= TOLERANCE_SECONDS)) return { ok: false, reason: "stale-timestamp" };
  return { ok: true, keyIndex };
}

/**
 * Authenticates a GitLab webhook delivery on its raw bytes.
 *
 * - Nothing configured: every request is refused (`not-configured`).
 * - Signing secrets configured: a Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
 *   `webhook-signature`, ±300 s inclusive) is required; `X-Gitlab-Token` alone is refused, and a
 *   malformed signature never falls back to the token.
 * - Tokens configured: `X-Gitlab-Token` must equal one of them.
 * - Both configured: both are required, and `method`/`keyIndex` describe the signature.
 *
 * To move a hook from token to signature: set the signing token in GitLab, add it to
 * `signingSecrets`, remove `tokens` here, then remove the secret token in GitLab.
 * Never throws on header content. Does not dedupe: replays inside the window verify again.
 */
export function verifyGitlabRequest(input: VerifyGitlabRequestInput): VerifyGitlabRequestResult {
  const signingSecrets = input.signingSecrets.filter((secret) => secret.length > 0);
  const tokens = input.tokens.filter((token) => token.length > 0);
  if (signingSecrets.length === 0 && tokens.length === 0) return { ok: false, reason: "not-configured" };

  let signatureKeyIndex = -1;
  if (signingSecrets.length > 0) {
    const signature = verifySignature(input);
    if (!signature.ok) return signature;
    signatureKeyIndex = signature.keyIndex;
  }

  let tokenIndex = -1;
  if (tokens.length > 0) {
    const presented = input.headers.get("x-gitlab-token");
    if (presented == null) return { ok: false, reason: "missing-auth" };
    tokenIndex = matchToken(presented, input.tokens);
    if (tokenIndex < 0) return { ok: false, reason: "bad-token" };
  }

  return signatureKeyIndex >= 0
    ? { ok: true, method: "gitlab-signature", keyIndex: signatureKeyIndex }
    : { ok: true, method: "gitlab-token", keyIndex: tokenIndex };
}
