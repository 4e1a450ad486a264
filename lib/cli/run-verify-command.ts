import { runVerifyPack } from "@/lib/evidence/pack/verify-pack.mjs";

/**
 * `custody verify <pack.zip> [--key <pem|fingerprint|file>]`: checks an evidence pack offline with
 * the same code every pack carries as verify-pack.mjs (no database, no configuration). Exit 0 only
 * when everything checks, 1 naming the first problem, 2 for bad arguments.
 */
export async function runVerifyCommand(args: string[]): Promise<number> {
  return runVerifyPack(args);
}
