import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyBuildkiteRequest } from "./verify-buildkite-request";
import type { HeaderReader } from "./verify-gitlab-request";

const RUNS = 2_000;

// go-buildkite buildkite/webhook_test.go TestValidatePayload (also cited in buildkite.md §1).
const GO_BUILDKITE = {
  key: "29b1ff5779c76bd48ba6705eb99ff970",
  header: "timestamp=1642080837,signature=582d496ac2d869dd97a3101c4cda346288c49a742592daf582ec64c86449f79c",
  timestamp: 1642080837,
  body: '{"event":"ping","service":{"id":"c9f8372d-c0cd-43dc-9274-768a875cf6ca","provider":"webhook","settings":{"url":"https://server.com/webhooks"}},"organization":{"id":"49801950-1df0-474f-bb56-ad6a930c5cb9","graphql_id":"T3JnYW5pemF0aW9uLS0tZTBmMzk3MgsTksGkxOWYtZTZjNzczZTJiYjEy","url":"https://api.buildkite.com/v2/organizations/acme-inc","web_url":"https://buildkite.com/acme-inc","name":"ACME Inc","slug":"acme-inc","agents_url":"https://api.buildkite.com/v2/organizations/acme-inc/agents","emojis_url":"https://api.buildkite.com/v2/organizations/acme-inc/emojis","created_at":"2021-02-03T20:34:10.486Z","pipelines_url":"https://api.buildkite.com/v2/organizations/acme-inc/pipelines"},"sender":{"id":"c9f8372d-c0cd-43dc-9269-bcbb7f308e3f","name":"ACME Man"}}',
};

// Our own vector, cross-checked with:
//   printf '1767225600.<body>' | openssl dgst -sha256 -hmac custody-test-webhook-token-0001
const OWN = {
  key: "custody-test-webhook-token-0001",
  timestamp: 1767225600,
  body: '{"event":"build.finished","build":{"id":"0190f1c2-6e4b-4c8a-9d2e-5b3f7a1c9e00","state":"passed"}}',
  signature: "33a05dfe17edf3f0935f4e15f91ad05da74aae64ad9ab8f7e45cea4db9ce41e2",
};

function reader(values: Record<string, string | undefined>): HeaderReader {
  const lower = new Map(Object.entries(values).map(([name, value]) => [name.toLowerCase(), value]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

function signatureHeader(key: string, timestamp: number, body: Uint8Array | string): string {
  const mac = createHmac("sha256", key).update(`${timestamp}.`).update(body).digest("hex");
  return `timestamp=${timestamp},signature=${mac}`;
}

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, "latin1");
  const index = Math.floor(bit / 8) % bytes.length;
  bytes[index] = (bytes[index] ?? 0) ^ (1 << (bit % 8));
  return bytes.toString("latin1");
}

function goRequest(overrides: Partial<Parameters<typeof verifyBuildkiteRequest>[0]> = {}) {
  return {
    headers: reader({ "x-buildkite-signature": GO_BUILDKITE.header }),
    body: Buffer.from(GO_BUILDKITE.body),
    now: GO_BUILDKITE.timestamp,
    tokens: [],
    signingSecrets: [GO_BUILDKITE.key],
    ...overrides,
  };
}

const NOW = 1_767_225_600;
const buildkiteKey = fc.string({ unit: "binary", minLength: 1, maxLength: 64 });

describe("verifyBuildkiteRequest: configuration", () => {
  it("refuses even a correctly signed request when nothing is configured", () => {
    expect(verifyBuildkiteRequest(goRequest({ signingSecrets: [] }))).toEqual({ ok: false, reason: "not-configured" });
  });

  it("treats empty strings in the configured lists as nothing configured", () => {
    const result = verifyBuildkiteRequest(goRequest({ headers: reader({ "x-buildkite-token": "" }), tokens: [""], signingSecrets: [""] }));
    expect(result).toEqual({ ok: false, reason: "not-configured" });
  });

  it("refuses a request with neither header", () => {
    expect(verifyBuildkiteRequest(goRequest({ headers: reader({}), tokens: ["t"] }))).toEqual({ ok: false, reason: "missing-auth" });
  });
});

describe("verifyBuildkiteRequest: X-Buildkite-Signature", () => {
  it("accepts the go-buildkite known-answer vector", () => {
    expect(verifyBuildkiteRequest(goRequest())).toEqual({ ok: true, method: "buildkite-signature", keyIndex: 0 });
  });

  it("accepts our openssl-checked vector", () => {
    const result = verifyBuildkiteRequest({
      headers: reader({ "x-buildkite-signature": `timestamp=${OWN.timestamp},signature=${OWN.signature}` }),
      body: Buffer.from(OWN.body),
      now: OWN.timestamp,
      tokens: [],
      signingSecrets: ["retired-key", OWN.key],
    });
    expect(result).toEqual({ ok: true, method: "buildkite-signature", keyIndex: 1 });
  });

  it("rejects the go-buildkite vector with one changed hex digit", () => {
    const headers = reader({ "x-buildkite-signature": GO_BUILDKITE.header.replace("f", "a") });
    expect(verifyBuildkiteRequest(goRequest({ headers }))).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("rejects the go-buildkite vector when the body is pretty-printed", () => {
    const body = Buffer.from(JSON.stringify(JSON.parse(GO_BUILDKITE.body), null, 2));
    expect(verifyBuildkiteRequest(goRequest({ body }))).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("reads the header case-insensitively through the Fetch Headers", () => {
    const headers = new Headers({ "X-Buildkite-Signature": GO_BUILDKITE.header });
    expect(verifyBuildkiteRequest(goRequest({ headers })).ok).toBe(true);
  });

  it.each([
    ["an empty header", ""],
    ["no timestamp", "signature=582d496ac2d869dd97a3101c4cda346288c49a742592daf582ec64c86449f79c"],
    ["a non-hex signature", "timestamp=1642080837,signature=yo"],
    ["an upper-case hex signature", GO_BUILDKITE.header.toUpperCase().replace("TIMESTAMP", "timestamp").replace("SIGNATURE", "signature")],
    ["a short signature", GO_BUILDKITE.header.slice(0, -2)],
    ["a fractional timestamp", GO_BUILDKITE.header.replace("1642080837", "1642080837.0")],
    ["a zero-padded timestamp", GO_BUILDKITE.header.replace("1642080837", "01642080837")],
    ["fields in the other order", "signature=582d496ac2d869dd97a3101c4cda346288c49a742592daf582ec64c86449f79c,timestamp=1642080837"],
    ["a space after the comma", GO_BUILDKITE.header.replace(",", ", ")],
  ])("refuses %s as malformed", (_label, header) => {
    expect(verifyBuildkiteRequest(goRequest({ headers: reader({ "x-buildkite-signature": header }) }))).toEqual({
      ok: false,
      reason: "malformed-signature",
    });
  });

  it("does not fall back to a correct token when the signature is wrong", () => {
    const headers = reader({ "x-buildkite-signature": GO_BUILDKITE.header.replace("f", "a"), "x-buildkite-token": "right" });
    expect(verifyBuildkiteRequest(goRequest({ headers, tokens: ["right"] }))).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("accepts a message signed with any of several keys and reports its index", () => {
    fc.assert(
      fc.property(fc.array(buildkiteKey, { minLength: 1, maxLength: 5 }), fc.nat(), (keys, pick) => {
        const key = keys[pick % keys.length] ?? "";
        const headers = reader({ "x-buildkite-signature": signatureHeader(key, NOW, "{}") });
        const result = verifyBuildkiteRequest({ headers, body: Buffer.from("{}"), now: NOW, tokens: [], signingSecrets: keys });
        expect(result).toEqual({ ok: true, method: "buildkite-signature", keyIndex: keys.indexOf(key) });
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a retired key after rotation", () => {
    const headers = reader({ "x-buildkite-signature": signatureHeader("old-key", NOW, "{}") });
    const input = { headers, body: Buffer.from("{}"), now: NOW, tokens: [] };
    expect(verifyBuildkiteRequest({ ...input, signingSecrets: ["old-key", "new-key"] }).ok).toBe(true);
    expect(verifyBuildkiteRequest({ ...input, signingSecrets: ["new-key"] })).toEqual({ ok: false, reason: "bad-signature" });
  });
});

describe("verifyBuildkiteRequest: timestamp window", () => {
  it.each([
    [-300, { ok: true, method: "buildkite-signature", keyIndex: 0 }],
    [-301, { ok: false, reason: "stale-timestamp" }],
    [300, { ok: true, method: "buildkite-signature", keyIndex: 0 }],
    [301, { ok: false, reason: "future-timestamp" }],
  ])("a message stamped %i s from now verifies as %j", (offset, expected) => {
    expect(verifyBuildkiteRequest(goRequest({ now: GO_BUILDKITE.timestamp - offset }))).toEqual(expected);
  });

  it("fails closed when now is not a number", () => {
    expect(verifyBuildkiteRequest(goRequest({ now: Number.NaN })).ok).toBe(false);
  });

  it("accepts a genuine message if and only if it is at most 300 s from now, either way", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (offset) => {
        const headers = reader({ "x-buildkite-signature": signatureHeader("k", NOW + offset, "{}") });
        const result = verifyBuildkiteRequest({ headers, body: Buffer.from("{}"), now: NOW, tokens: [], signingSecrets: ["k"] });
        expect(result.ok).toBe(Math.abs(offset) <= 300);
        if (!result.ok) expect(result.reason).toBe(offset > 0 ? "future-timestamp" : "stale-timestamp");
      }),
      { numRuns: RUNS },
    );
  });
});

describe("verifyBuildkiteRequest: X-Buildkite-Token", () => {
  const tokens = ["old-buildkite-token-01", "new-buildkite-token-02"];
  const tokenRequest = (headers: HeaderReader, signingSecrets: string[] = []) =>
    verifyBuildkiteRequest({ headers, body: Buffer.from("{}"), now: NOW, tokens, signingSecrets });

  it("accepts either token during rotation and reports which one matched", () => {
    expect(tokenRequest(reader({ "x-buildkite-token": tokens[0] }))).toEqual({ ok: true, method: "buildkite-token", keyIndex: 0 });
    expect(tokenRequest(reader({ "x-buildkite-token": tokens[1] }))).toEqual({ ok: true, method: "buildkite-token", keyIndex: 1 });
  });

  it.each([
    ["a different token", "new-buildkite-token-03"],
    ["a prefix of a token", "new-buildkite"],
    ["an empty header", ""],
  ])("refuses %s", (_label, presented) => {
    expect(tokenRequest(reader({ "x-buildkite-token": presented }))).toEqual({ ok: false, reason: "bad-token" });
  });

  it("accepts a token when signing is also configured but no signature was sent", () => {
    expect(tokenRequest(reader({ "x-buildkite-token": tokens[0] }), ["signing-key"])).toEqual({
      ok: true,
      method: "buildkite-token",
      keyIndex: 0,
    });
  });

  it("ignores a signature header when only tokens are configured", () => {
    const headers = reader({ "x-buildkite-token": tokens[1], "x-buildkite-signature": "junk" });
    expect(tokenRequest(headers)).toEqual({ ok: true, method: "buildkite-token", keyIndex: 1 });
  });

  it("refuses a token when only signing is configured", () => {
    const result = verifyBuildkiteRequest({
      headers: reader({ "x-buildkite-token": "signing-key" }),
      body: Buffer.from("{}"),
      now: NOW,
      tokens: [],
      signingSecrets: ["signing-key"],
    });
    expect(result).toEqual({ ok: false, reason: "missing-auth" });
  });
});

describe("verifyBuildkiteRequest: properties", () => {
  it("rejects any single-bit change to the body, timestamp or signature", () => {
    fc.assert(
      fc.property(
        buildkiteKey,
        fc.integer({ min: -300, max: 300 }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.constantFrom("body", "header"),
        fc.nat(),
        (key, offset, bytes, where, bit) => {
          const body = Buffer.from(bytes);
          const header = signatureHeader(key, NOW + offset, body);
          const input = { headers: reader({ "x-buildkite-signature": header }), body, now: NOW, tokens: [], signingSecrets: [key] };
          expect(verifyBuildkiteRequest(input).ok).toBe(true);

          if (where === "body") {
            const flipped = Buffer.from(body);
            const index = Math.floor(bit / 8) % flipped.length;
            flipped[index] = (flipped[index] ?? 0) ^ (1 << (bit % 8));
            expect(verifyBuildkiteRequest({ ...input, body: flipped }).ok).toBe(false);
          } else {
            // The header holds both the timestamp and the MAC, so this covers both.
            const headers = reader({ "x-buildkite-signature": flipBit(header, bit) });
            expect(verifyBuildkiteRequest({ ...input, headers }).ok).toBe(false);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("rejects every single-bit change to the token", () => {
    const token = "new-buildkite-token-02";
    fc.assert(
      fc.property(fc.nat({ max: token.length * 8 - 1 }), (bit) => {
        const headers = reader({ "x-buildkite-token": flipBit(token, bit) });
        expect(verifyBuildkiteRequest({ headers, body: Buffer.from("{}"), now: NOW, tokens: [token], signingSecrets: [] }).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws and never accepts junk header strings", () => {
    const junk = fc.option(
      fc.oneof(
        fc.string({ unit: "binary" }),
        fc.string(),
        fc.stringMatching(/^timestamp=[0-9]{1,12},signature=[0-9a-f]{64}$/),
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(junk, junk, fc.uint8Array({ maxLength: 64 }), fc.boolean(), (signature, token, bytes, withTokens) => {
        const headers = reader({ "x-buildkite-signature": signature, "x-buildkite-token": token });
        const result = verifyBuildkiteRequest({
          headers,
          body: Buffer.from(bytes),
          now: NOW,
          tokens: withTokens ? ["a-real-token-0123456789"] : [],
          signingSecrets: ["a-real-signing-key-0123456789"],
        });
        expect(result.ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
