import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactHeaders } from "./redact-headers";

describe("redactHeaders", () => {
  it("lowercases names and keeps ordinary headers as they are", () => {
    const result = redactHeaders([
      ["X-Gitlab-Event", "Merge Request Hook"],
      ["Idempotency-Key", "4b1e2a52-0000-4000-8000-000000000000"],
      ["Content-Type", "application/json"],
    ]);
    expect({ ...result }).toEqual({
      "x-gitlab-event": "Merge Request Hook",
      "idempotency-key": "4b1e2a52-0000-4000-8000-000000000000",
      "content-type": "application/json",
    });
  });

  it.each(["X-Gitlab-Token", "x-buildkite-token", "Authorization", "Cookie", "X-Gitlab-Event-Streaming-Token"])(
    "hides the whole value of %s",
    (name) => {
      expect(redactHeaders([[name, "the-secret-value"]])[name.toLowerCase()]).toBe("[redacted]");
    },
  );

  it("hides custom headers whose names say they carry a secret", () => {
    const result = redactHeaders([
      ["X-Api-Key", "k1"],
      ["X-Custom-Secret", "k2"],
      ["X-Upstream-Auth", "k3"],
    ]);
    expect(Object.values(result)).toEqual(["[redacted]", "[redacted]", "[redacted]"]);
  });

  it("keeps the versions of a Standard Webhooks signature and hides each MAC", () => {
    const result = redactHeaders([
      ["webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1a,abcd garbage"],
    ]);
    expect(result["webhook-signature"]).toBe("v1,[redacted] v1a,[redacted] [redacted]");
  });

  it("keeps the Buildkite signature timestamp and hides the MAC", () => {
    const result = redactHeaders([
      ["X-Buildkite-Signature", "timestamp=1642080837,signature=582d496ac2d869dd97a3101c4cda346288c49a742592daf582ec64c86449f79c"],
    ]);
    expect(result["x-buildkite-signature"]).toBe("timestamp=1642080837,signature=[redacted]");
  });

  it("hides a Buildkite signature header that is not in the expected shape", () => {
    expect(redactHeaders([["x-buildkite-signature", "my-token-by-mistake"]])["x-buildkite-signature"]).toBe("[redacted]");
    expect(redactHeaders([["x-buildkite-signature", "timestamp=not-a-number"]])["x-buildkite-signature"]).toBe(
      "timestamp=[redacted]",
    );
  });

  it("reads a Fetch Headers object", () => {
    const headers = new Headers({ "X-Gitlab-Token": "tok", "X-Gitlab-Event": "Push Hook" });
    expect({ ...redactHeaders(headers) }).toEqual({ "x-gitlab-event": "Push Hook", "x-gitlab-token": "[redacted]" });
  });

  it("joins repeated names and redacts every occurrence", () => {
    const result = redactHeaders([
      ["Authorization", "Bearer a"],
      ["authorization", "Bearer b"],
      ["Accept", "a"],
      ["accept", "b"],
    ]);
    expect(result.authorization).toBe("[redacted], [redacted]");
    expect(result.accept).toBe("a, b");
  });

  it("treats a header named __proto__ as an ordinary header", () => {
    const result = redactHeaders([["__proto__", "x"]]);
    expect(Object.keys(result)).toEqual(["__proto__"]);
    expect(result.__proto__).toBe("x");
  });

  it("never lets a secret through, whatever the secret looks like", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("x-gitlab-token", "x-buildkite-token", "authorization", "cookie", "webhook-signature", "x-buildkite-signature"),
        fc
          .string({ minLength: 8, maxLength: 80 })
          .filter((secret) => !"timestamp=1642080837,signature=[redacted] v1,".includes(secret)),
        (name, secret) => {
          const value =
            name === "webhook-signature"
              ? `v1,${secret}`
              : name === "x-buildkite-signature"
                ? `timestamp=1642080837,signature=${secret}`
                : secret;
          expect(Object.values(redactHeaders([[name, value]])).join("\n")).not.toContain(secret);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
