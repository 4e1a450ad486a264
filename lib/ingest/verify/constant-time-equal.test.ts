import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "./constant-time-equal";

describe("constantTimeEqual", () => {
  it("is true for equal strings", () => {
    expect(constantTimeEqual("s3cret-token", "s3cret-token")).toBe(true);
  });

  it("is false for strings that differ in one character", () => {
    expect(constantTimeEqual("s3cret-token", "s3cret-tokem")).toBe(false);
  });

  it("is false, without throwing, for inputs of different lengths", () => {
    expect(constantTimeEqual("short", "a much longer value")).toBe(false);
    expect(constantTimeEqual("", "x")).toBe(false);
    expect(constantTimeEqual(Buffer.alloc(0), Buffer.alloc(64))).toBe(false);
  });

  it("is true for two empty inputs", () => {
    expect(constantTimeEqual("", Buffer.alloc(0))).toBe(true);
  });

  it("compares a string with a Buffer by its UTF-8 bytes", () => {
    expect(constantTimeEqual("héllo", Buffer.from("héllo", "utf8"))).toBe(true);
    expect(constantTimeEqual("héllo", Buffer.from("héllo", "latin1"))).toBe(false);
  });

  it("agrees with byte equality on arbitrary inputs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
        const left = Buffer.from(a);
        const right = Buffer.from(b);
        expect(constantTimeEqual(left, right)).toBe(left.equals(right));
        expect(constantTimeEqual(left, Buffer.from(left))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
