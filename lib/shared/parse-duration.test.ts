import { describe, expect, it } from "vitest";
import { parseDuration } from "./parse-duration.ts";

describe("parseDuration", () => {
  it("reads seconds, minutes, hours and days", () => {
    expect(parseDuration("45s")).toBe(45);
    expect(parseDuration("30m")).toBe(1800);
    expect(parseDuration("12h")).toBe(43_200);
    expect(parseDuration("90d")).toBe(7_776_000);
  });

  it("refuses anything else", () => {
    for (const bad of ["", "90", "d", "1.5h", "-1d", "1w", "90 days"]) expect(parseDuration(bad), bad).toBeNull();
  });
});
