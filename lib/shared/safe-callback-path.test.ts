import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback-path.ts";

describe("the path to return to after sign-in", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeCallbackPath("/deploys/1?tab=x")).toBe("/deploys/1?tab=x");
  });

  it("never leaves the site", () => {
    for (const evil of ["//evil.test", "/\\evil.test", "https://evil.test", "https:evil.test", "evil.test", "/\n//evil", "", null, undefined]) {
      expect(safeCallbackPath(evil), String(evil)).toBe("/");
    }
  });

  it("does not loop back to sign-in or land on an API", () => {
    expect(safeCallbackPath("/sign-in?callbackUrl=/x")).toBe("/");
    expect(safeCallbackPath("/api/v1/me")).toBe("/");
  });
});
