// Signed 4 KiB Buildkite-style deliveries for the acknowledge-path measurements. Every body carries a
// fresh nonce, because the Buildkite dedupe key is event + sha256(body): a repeated body would be
// answered 200 "duplicate" without an insert and make the path look cheaper than it is.
import { createHmac, randomUUID } from "node:crypto";

export const PAYLOAD_BYTES = 4096;
export const PAYLOAD_EVENT = "ping";

/** `X-Buildkite-Signature` value: timestamp=<unix>,signature=<hex HMAC-SHA256(secret, "<ts>." + body)>. */
export function buildkiteSignature(secret: string, body: Uint8Array, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  return `timestamp=${timestamp},signature=${signature}`;
}

/**
 * A compact JSON body of exactly PAYLOAD_BYTES bytes shaped like a Buildkite ping (service,
 * organization, sender), unique through `nonce` and `seq`, padded with a `padding` string.
 */
export function benchBody(seq: number, runId: string): Buffer {
  const head = {
    event: PAYLOAD_EVENT,
    service: { id: "8e5c0f0a-6f3e-4a53-9a4e-4b0c7f1d2e3a", provider: "webhook", settings: { url: "https://custody.acme.test/api/webhooks/buildkite" } },
    organization: { id: "1f7a9c2e-3b4d-4e5f-8a6b-7c8d9e0f1a2b", slug: "acme", name: "Acme" },
    sender: { id: "8f2e6d4c-1a3b-4c5d-8e9f-0a1b2c3d4e5f", name: "Platform Admin" },
    bench: { run: runId, seq: String(seq).padStart(12, "0"), nonce: randomUUID() },
  };
  const prefix = JSON.stringify(head).slice(0, -1) + ',"padding":"';
  const suffix = '"}';
  const fill = PAYLOAD_BYTES - Buffer.byteLength(prefix) - Buffer.byteLength(suffix);
  if (fill < 0) throw new Error("payload head is larger than PAYLOAD_BYTES");
  return Buffer.from(prefix + "x".repeat(fill) + suffix, "utf8");
}

export function benchHeaders(secret: string, body: Buffer): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "Buildkite-Request",
    "x-buildkite-event": PAYLOAD_EVENT,
    "x-buildkite-request": randomUUID(),
    "x-buildkite-signature": buildkiteSignature(secret, body),
  };
}
