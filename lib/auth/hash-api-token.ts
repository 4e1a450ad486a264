import "server-only";
import { createHash } from "node:crypto";

/**
 * The stored form of an API token. Tokens carry 256 random bits, so a fast hash is enough: there is
 * nothing to brute-force, and lookups stay one indexed equality.
 */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
