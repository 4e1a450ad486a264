import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifyGitlabRequest, type HeaderReader } from "./verify-gitlab-request";

const RUNS = 2_000;

// Known-answer vector from the standardwebhooks reference library's tests (reliability.md §1.1).
const KAT = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

/** A header reader over arbitrary strings, which the Fetch `Headers` would refuse to hold. */
function reader(values: Record<string, string | undefined>): HeaderReader {
  const lower = new Map(Object.entries(values).map(([name, value]) => [name.toLowerCase(), value]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

function newSecret(bytes = 32): string {
  return `whsec_${randomBytes(bytes).toString("base64")}`;
}

/** Signs with the reference library, so the tests do not share code with the verifier. */
function sign(secret: string, id: string, timestamp: number, body: Buffer | string): string {
  return new Webhook(secret).sign(id, new Date(timestamp * 1000), typeof body === "string" ? body : body.toString());
}

function signedHeaders(secret: string, id: string, timestamp: number, body: string, extra: Record<string, string> = {}) {
  return reader({
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": sign(secret, id, timestamp, body),
    ...extra,
  });
}

function katRequest(overrides: Partial<Parameters<typeof verifyGitlabRequest>[0]> = {}) {
  return {
    headers: reader({
      "webhook-id": KAT.id,
      "webhook-timestamp": String(KAT.timestamp),
      "webhook-signature": KAT.signature,
    }),
    body: Buffer.from(KAT.body),
    now: KAT.timestamp,
    tokens: [],
    signingSecrets: [KAT.secret],
    ...overrides,
  };
}

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, "latin1");
  const index = Math.floor(bit / 8) % bytes.length;
  bytes[index] = (bytes[index] ?? 0) ^ (1 << (bit % 8));
  return bytes.toString("latin1");
}

const webhookId = fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/);
const signingSecret = fc
  .uint8Array({ minLength: 24, maxLength: 64 })
  .map((bytes) => `whsec_${Buffer.from(bytes).toString("base64")}`);
const NOW = 1_767_225_600;

afterEach(() => {
  vi.useRealTimers();
});

describe("verifyGitlabRequest: configuration", () => {
  it("refuses even a correctly signed request when nothing is configured", () => {
    expect(verifyGitlabRequest(katRequest({ signingSecrets: [] }))).toEqual({ ok: false, reason: "not-configured" });
  });

  it("treats empty strings in the configured lists as nothing configured", () => {
    const result = verifyGitlabRequest(
      katRequest({ headers: reader({ "x-gitlab-token": "" }), tokens: [""], signingSecrets: [""] }),
    );
    expect(result).toEqual({ ok: false, reason: "not-configured" });
  });
});

describe("verifyGitlabRequest: Standard Webhooks signature", () => {
  it("accepts the Standard Webhooks known-answer vector", () => {
    expect(verifyGitlabRequest(katRequest())).toEqual({ ok: true, method: "gitlab-signature", keyIndex: 0 });
  });

  it("accepts a signing secret configured without the whsec_ prefix", () => {
    const secret = KAT.secret.slice("whsec_".length);
    expect(verifyGitlabRequest(katRequest({ signingSecrets: [secret] })).ok).toBe(true);
  });

  it("rejects the known-answer vector when the body is re-serialised JSON", () => {
    const body = Buffer.from(JSON.stringify(JSON.parse(KAT.body)));
    expect(verifyGitlabRequest(katRequest({ body }))).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("rejects the known-answer vector under a different secret", () => {
    expect(verifyGitlabRequest(katRequest({ signingSecrets: [newSecret()] }))).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("never matches a configured secret that is not base64", () => {
    expect(verifyGitlabRequest(katRequest({ signingSecrets: ["whsec_not base64!"] }))).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("reads headers case-insensitively through the Fetch Headers", () => {
    const headers = new Headers({
      "Webhook-Id": KAT.id,
      "Webhook-Timestamp": String(KAT.timestamp),
      "Webhook-Signature": KAT.signature,
    });
    expect(verifyGitlabRequest(katRequest({ headers })).ok).toBe(true);
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])("refuses a request without %s", (missing) => {
    const values: Record<string, string> = {
      "webhook-id": KAT.id,
      "webhook-timestamp": String(KAT.timestamp),
      "webhook-signature": KAT.signature,
    };
    delete values[missing];
    expect(verifyGitlabRequest(katRequest({ headers: reader(values) }))).toEqual({ ok: false, reason: "missing-auth" });
  });

  it("refuses a request that carries only X-Gitlab-Token when a signing secret is configured", () => {
    const result = verifyGitlabRequest(
      katRequest({ headers: reader({ "x-gitlab-token": "tok" }), tokens: [], signingSecrets: [KAT.secret] }),
    );
    expect(result).toEqual({ ok: false, reason: "missing-auth" });
  });

  it.each([
    ["empty", ""],
    ["containing a dot", "msg.1"],
    ["containing a space", "msg 1"],
    ["containing a tab", "msg\t1"],
    ["containing a newline", "msg\n1"],
    ["of 129 characters", "a".repeat(129)],
    ["with non-ASCII letters", "msg_é"],
  ])("refuses a webhook-id %s", (_label, id) => {
    const secret = newSecret();
    const result = verifyGitlabRequest({
      headers: signedHeaders(secret, id, NOW, "{}"),
      body: Buffer.from("{}"),
      now: NOW,
      tokens: [],
      signingSecrets: [secret],
    });
    expect(result).toEqual({ ok: false, reason: "bad-webhook-id" });
  });

  it("accepts a webhook-id of exactly 128 characters", () => {
    const secret = newSecret();
    const id = "a".repeat(128);
    const result = verifyGitlabRequest({
      headers: signedHeaders(secret, id, NOW, "{}"),
      body: Buffer.from("{}"),
      now: NOW,
      tokens: [],
      signingSecrets: [secret],
    });
    expect(result.ok).toBe(true);
  });

  it.each(["", "abc", "1614265330.0", " 1614265330", "1614265330 ", "01614265330", "-1614265330", "+1614265330", "1e9", "1234567890123"])(
    "refuses webhook-timestamp %j as malformed",
    (timestamp) => {
      const headers = reader({ "webhook-id": KAT.id, "webhook-timestamp": timestamp, "webhook-signature": KAT.signature });
      expect(verifyGitlabRequest(katRequest({ headers }))).toEqual({ ok: false, reason: "malformed-signature" });
    },
  );

  it.each([
    ["an empty header", ""],
    ["only a v1a entry", "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    ["a v1 entry without the comma", "v1g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    ["a v1 entry that is not base64", "v1,not-a-mac"],
    ["a v1 entry with a truncated MAC", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE"],
    ["a base64url MAC", "v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    ["an upper-case version", "V1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
  ])("refuses a webhook-signature with %s as malformed", (_label, signature) => {
    const headers = reader({ "webhook-id": KAT.id, "webhook-timestamp": String(KAT.timestamp), "webhook-signature": signature });
    expect(verifyGitlabRequest(katRequest({ headers }))).toEqual({ ok: false, reason: "malformed-signature" });
  });

  it("does not fall back to a correct X-Gitlab-Token when the signature is malformed", () => {
    const headers = reader({
      "webhook-id": KAT.id,
      "webhook-timestamp": String(KAT.timestamp),
      "webhook-signature": "v1,garbage",
      "x-gitlab-token": "right-token",
    });
    const result = verifyGitlabRequest(katRequest({ headers, tokens: ["right-token"] }));
    expect(result).toEqual({ ok: false, reason: "malformed-signature" });
  });
});

describe("verifyGitlabRequest: timestamp window", () => {
  it.each([
    [-300, { ok: true, method: "gitlab-signature", keyIndex: 0 }],
    [-301, { ok: false, reason: "stale-timestamp" }],
    [300, { ok: true, method: "gitlab-signature", keyIndex: 0 }],
    [301, { ok: false, reason: "future-timestamp" }],
  ])("a message stamped %i s from now verifies as %j", (offset, expected) => {
    expect(verifyGitlabRequest(katRequest({ now: KAT.timestamp - offset }))).toEqual(expected);
  });

  it("ignores fractions of a second in now", () => {
    expect(verifyGitlabRequest(katRequest({ now: KAT.timestamp + 300.999 })).ok).toBe(true);
  });

  it("fails closed when now is not a number", () => {
    expect(verifyGitlabRequest(katRequest({ now: Number.NaN })).ok).toBe(false);
  });

  it("accepts a genuine message if and only if it is at most 300 s from now, either way", () => {
    const secret = newSecret();
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (offset) => {
        const timestamp = NOW + offset;
        const result = verifyGitlabRequest({
          headers: signedHeaders(secret, "msg_1", timestamp, "{}"),
          body: Buffer.from("{}"),
          now: NOW,
          tokens: [],
          signingSecrets: [secret],
        });
        expect(result.ok).toBe(Math.abs(offset) <= 300);
        if (!result.ok) expect(result.reason).toBe(offset > 0 ? "future-timestamp" : "stale-timestamp");
      }),
      { numRuns: RUNS },
    );
  });
});

describe("verifyGitlabRequest: X-Gitlab-Token", () => {
  const tokens = ["old-token-0123456789", "new-token-9876543210"];

  it("accepts either token during rotation and reports which one matched", () => {
    for (const [index, token] of tokens.entries()) {
      const result = verifyGitlabRequest({
        headers: reader({ "x-gitlab-token": token }),
        body: Buffer.from("{}"),
        now: NOW,
        tokens,
        signingSecrets: [],
      });
      expect(result).toEqual({ ok: true, method: "gitlab-token", keyIndex: index });
    }
  });

  it.each([
    ["a different token", "new-token-9876543211"],
    ["a prefix of a token", "new-token"],
    ["a longer token", "new-token-98765432100"],
    ["an empty header", ""],
    ["the token with whitespace around it", " new-token-9876543210"],
  ])("refuses %s", (_label, presented) => {
    const result = verifyGitlabRequest({
      headers: reader({ "x-gitlab-token": presented }),
      body: Buffer.from("{}"),
      now: NOW,
      tokens,
      signingSecrets: [],
    });
    expect(result).toEqual({ ok: false, reason: "bad-token" });
  });

  it("refuses a request without X-Gitlab-Token", () => {
    const result = verifyGitlabRequest({ headers: reader({}), body: Buffer.from("{}"), now: NOW, tokens, signingSecrets: [] });
    expect(result).toEqual({ ok: false, reason: "missing-auth" });
  });

  it("ignores signature headers when only tokens are configured", () => {
    const headers = reader({ "x-gitlab-token": tokens[0], "webhook-signature": "v1,garbage", "webhook-id": "a.b" });
    const result = verifyGitlabRequest({ headers, body: Buffer.from("{}"), now: NOW, tokens, signingSecrets: [] });
    expect(result).toEqual({ ok: true, method: "gitlab-token", keyIndex: 0 });
  });

  it("rejects every single-bit change to the token", () => {
    const token = tokens[1] ?? "";
    fc.assert(
      fc.property(fc.nat({ max: token.length * 8 - 1 }), (bit) => {
        const result = verifyGitlabRequest({
          headers: reader({ "x-gitlab-token": flipBit(token, bit) }),
          body: Buffer.from("{}"),
          now: NOW,
          tokens,
          signingSecrets: [],
        });
        expect(result.ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("verifyGitlabRequest: signature and token both configured", () => {
  const token = "secret-token-0123456789";
  const headersWith = (extra: Record<string, string>) =>
    reader({
      "webhook-id": KAT.id,
      "webhook-timestamp": String(KAT.timestamp),
      "webhook-signature": KAT.signature,
      ...extra,
    });

  it("accepts a request with a valid signature and the right token, reporting the signature key", () => {
    const result = verifyGitlabRequest(
      katRequest({ headers: headersWith({ "x-gitlab-token": token }), tokens: ["other", token], signingSecrets: [newSecret(), KAT.secret] }),
    );
    expect(result).toEqual({ ok: true, method: "gitlab-signature", keyIndex: 1 });
  });

  it("refuses a valid signature without the token", () => {
    expect(verifyGitlabRequest(katRequest({ headers: headersWith({}), tokens: [token] }))).toEqual({
      ok: false,
      reason: "missing-auth",
    });
  });

  it("refuses a valid signature with a wrong token", () => {
    expect(verifyGitlabRequest(katRequest({ headers: headersWith({ "x-gitlab-token": "wrong" }), tokens: [token] }))).toEqual({
      ok: false,
      reason: "bad-token",
    });
  });

  it("refuses the right token without a signature", () => {
    const result = verifyGitlabRequest(katRequest({ headers: reader({ "x-gitlab-token": token }), tokens: [token] }));
    expect(result).toEqual({ ok: false, reason: "missing-auth" });
  });

  it("refuses the right token with a wrong signature", () => {
    const result = verifyGitlabRequest(
      katRequest({ headers: headersWith({ "x-gitlab-token": token }), tokens: [token], signingSecrets: [newSecret()] }),
    );
    expect(result).toEqual({ ok: false, reason: "bad-signature" });
  });
});

describe("verifyGitlabRequest: rotation", () => {
  const decoys = fc.constantFrom(
    "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "garbage",
    "v1,",
    ",",
    "",
  );

  it("accepts a valid v1 entry at any position among up to 10 entries", () => {
    const secret = newSecret();
    const valid = sign(secret, "msg_rotation", NOW, "{}");
    fc.assert(
      fc.property(fc.array(decoys, { maxLength: 9 }), fc.nat(), (others, at) => {
        const entries: string[] = [...others];
        entries.splice(at % (others.length + 1), 0, valid);
        const headers = reader({ "webhook-id": "msg_rotation", "webhook-timestamp": String(NOW), "webhook-signature": entries.join(" ") });
        const result = verifyGitlabRequest({ headers, body: Buffer.from("{}"), now: NOW, tokens: [], signingSecrets: [secret] });
        expect(result).toEqual({ ok: true, method: "gitlab-signature", keyIndex: 0 });
      }),
      { numRuns: RUNS },
    );
  });

  it("refuses a header made only of decoys", () => {
    fc.assert(
      fc.property(fc.array(decoys, { minLength: 1, maxLength: 10 }), (entries) => {
        const headers = reader({ "webhook-id": KAT.id, "webhook-timestamp": String(KAT.timestamp), "webhook-signature": entries.join(" ") });
        expect(verifyGitlabRequest(katRequest({ headers })).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("accepts a message signed with any of several configured secrets and reports its index", () => {
    fc.assert(
      fc.property(fc.array(signingSecret, { minLength: 1, maxLength: 5 }), fc.nat(), (secrets, pick) => {
        const index = pick % secrets.length;
        const secret = secrets[index] ?? "";
        const headers = signedHeaders(secret, "msg_multi", NOW, "{}");
        const result = verifyGitlabRequest({ headers, body: Buffer.from("{}"), now: NOW, tokens: [], signingSecrets: secrets });
        expect(result).toEqual({ ok: true, method: "gitlab-signature", keyIndex: secrets.indexOf(secret) });
      }),
      { numRuns: 200 },
    );
  });

  it("accepts old and new secrets during the overlap and refuses the old one after it", () => {
    const oldSecret = newSecret();
    const newer = newSecret();
    const request = (secret: string, configured: string[]) =>
      verifyGitlabRequest({ headers: signedHeaders(secret, "msg_r", NOW, "{}"), body: Buffer.from("{}"), now: NOW, tokens: [], signingSecrets: configured });
    expect(request(oldSecret, [oldSecret, newer]).ok).toBe(true);
    expect(request(newer, [oldSecret, newer]).ok).toBe(true);
    expect(request(oldSecret, [newer])).toEqual({ ok: false, reason: "bad-signature" });
  });
});

describe("verifyGitlabRequest: properties", () => {
  it("agrees with the standardwebhooks library on every well-formed request", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW * 1000);
    const tamper = fc.constantFrom("none", "other-secret", "other-body", "other-timestamp", "other-id");
    fc.assert(
      fc.property(
        webhookId,
        fc.integer({ min: -600, max: 600 }),
        fc.string({ unit: "binary", maxLength: 300 }),
        signingSecret,
        signingSecret,
        tamper,
        (id, offset, text, secret, otherSecret, how) => {
          const timestamp = NOW + offset;
          const body = Buffer.from(text, "utf8");
          const signature = sign(
            how === "other-secret" ? otherSecret : secret,
            how === "other-id" ? `${id}x` : id,
            how === "other-timestamp" ? timestamp + 1 : timestamp,
            how === "other-body" ? Buffer.concat([body, Buffer.from(" ")]) : body,
          );
          const values = { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
          const ours = verifyGitlabRequest({ headers: reader(values), body, now: NOW, tokens: [], signingSecrets: [secret] });
          let theirs: boolean;
          try {
            new Webhook(secret).verify(body, values, { jsonParse: false });
            theirs = true;
          } catch {
            theirs = false;
          }
          expect(ours.ok).toBe(theirs);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("rejects any single-bit change to the body, id, timestamp or signature", () => {
    const target = fc.constantFrom("body", "webhook-id", "webhook-timestamp", "webhook-signature");
    fc.assert(
      fc.property(
        webhookId,
        fc.integer({ min: -300, max: 300 }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        signingSecret,
        target,
        fc.nat(),
        (id, offset, bytes, secret, where, bit) => {
          const body = Buffer.from(bytes);
          const timestamp = NOW + offset;
          const values: Record<string, string> = {
            "webhook-id": id,
            "webhook-timestamp": String(timestamp),
            "webhook-signature": sign(secret, id, timestamp, body),
          };
          // The library signs the UTF-8 decoding of the body, so sign the bytes that decoding yields.
          const signedBody = Buffer.from(body.toString());
          const input = { headers: reader(values), body: signedBody, now: NOW, tokens: [], signingSecrets: [secret] };
          expect(verifyGitlabRequest(input).ok).toBe(true);

          if (where === "body") {
            const flipped = Buffer.from(signedBody);
            const index = Math.floor(bit / 8) % flipped.length;
            flipped[index] = (flipped[index] ?? 0) ^ (1 << (bit % 8));
            expect(verifyGitlabRequest({ ...input, body: flipped }).ok).toBe(false);
          } else {
            const headers = reader({ ...values, [where]: flipBit(values[where] ?? "", bit) });
            expect(verifyGitlabRequest({ ...input, headers }).ok).toBe(false);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("never throws and never accepts junk header strings", () => {
    const secret = newSecret();
    const junk = fc.option(fc.oneof(fc.string({ unit: "binary" }), fc.string(), fc.constantFrom("v1,", "v1, v1,x", "1614265330")), {
      nil: undefined,
    });
    fc.assert(
      fc.property(junk, junk, junk, junk, fc.uint8Array({ maxLength: 64 }), fc.boolean(), (id, timestamp, signature, token, bytes, withToken) => {
        const headers = reader({
          "webhook-id": id,
          "webhook-timestamp": timestamp,
          "webhook-signature": signature,
          "x-gitlab-token": token,
        });
        const result = verifyGitlabRequest({
          headers,
          body: Buffer.from(bytes),
          now: NOW,
          tokens: withToken ? ["a-real-token-0123456789"] : [],
          signingSecrets: [secret],
        });
        expect(result.ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws on duplicate and case-varied headers in a Fetch Headers", () => {
    const printable = fc.string({ unit: "grapheme-ascii", maxLength: 80 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("Webhook-Id", "WEBHOOK-TIMESTAMP", "webhook-signature", "X-Gitlab-Token"), printable), { maxLength: 8 }), (pairs) => {
        const headers = new Headers();
        for (const [name, value] of pairs) headers.append(name, value);
        const result = verifyGitlabRequest({ headers, body: Buffer.from("{}"), now: NOW, tokens: ["tok-0123456789abcdef"], signingSecrets: [KAT.secret] });
        expect(result.ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
