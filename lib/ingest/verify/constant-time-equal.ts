import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";

function sha256(value: string | Buffer): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * Compares two secrets without leaking, through timing, where they differ or how long the expected
 * one is. Both sides are hashed first so `timingSafeEqual` always sees 32 bytes and never throws on
 * a length mismatch. Strings are compared as their UTF-8 bytes.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
