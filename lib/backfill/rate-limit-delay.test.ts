import { describe, expect, it } from "vitest";
import { rateLimitDelay } from "./rate-limit-delay.ts";

const h = (entries: Record<string, string>) => new Headers(entries);

describe("rateLimitDelay", () => {
  it("a 429 waits for Retry-After, else for Buildkite's RateLimit-Reset seconds", () => {
    expect(rateLimitDelay(429, h({ "retry-after": "3" }))).toBe(3000);
    expect(rateLimitDelay(429, h({ "ratelimit-reset": "7", "ratelimit-remaining": "0" }))).toBe(7000);
  });
  it("reads GitLab's RateLimit-Reset as a Unix time", () => {
    const now = 1_800_000_000_000;
    expect(rateLimitDelay(200, h({ "ratelimit-remaining": "0", "ratelimit-reset": String(now / 1000 + 5) }), now)).toBe(5000);
  });
  it("does not wait while requests remain, and never waits more than two minutes", () => {
    expect(rateLimitDelay(200, h({ "ratelimit-remaining": "12", "ratelimit-reset": "30" }))).toBe(0);
    expect(rateLimitDelay(429, h({ "retry-after": "3600" }))).toBe(120_000);
  });
});
