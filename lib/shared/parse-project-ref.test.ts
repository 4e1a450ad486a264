import { describe, expect, it } from "vitest";
import { entityPaths } from "./entity-paths.ts";
import { parseProjectRef } from "./parse-project-ref.ts";

describe("parseProjectRef", () => {
  it("reads a nested project path and a number from URL segments, in either form", () => {
    expect(parseProjectRef(["acme", "payments-api", "17"])).toEqual({ project: "acme/payments-api", number: "17" });
    expect(parseProjectRef(["acme", "team", "payments-api!17"])).toEqual({ project: "acme/team/payments-api", number: "17" });
    // Next.js hands segments over decoded: /merge-requests/acme%2Fpayments-api!17 arrives as one segment with a slash.
    expect(parseProjectRef(["acme/payments-api!17"])).toEqual({ project: "acme/payments-api", number: "17" });
  });

  it("takes segments as given, so a literal % is part of the name rather than an error", () => {
    expect(parseProjectRef(["acme", "100%", "3"])).toEqual({ project: "acme/100%", number: "3" });
    expect(parseProjectRef(["acme", "a%41", "3"])).toEqual({ project: "acme/a%41", number: "3" });
  });

  it("refuses segments without a trailing number", () => {
    expect(parseProjectRef(["00000000-0000-4000-8000-000000000000"])).toBeNull();
    expect(parseProjectRef(["acme", "payments-api"])).toBeNull();
    expect(parseProjectRef(["17"])).toBeNull();
  });

  it("round-trips the paths entityPaths builds", () => {
    const path = entityPaths.mergeRequest("acme/payments-api", 17);
    expect(path).toBe("/merge-requests/acme/payments-api/17");
    expect(parseProjectRef(path.split("/").slice(2))).toEqual({ project: "acme/payments-api", number: "17" });
  });
});
