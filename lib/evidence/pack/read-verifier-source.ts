import "server-only";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: Buffer | null = null;

/**
 * The bytes of verify-pack.mjs, which every pack carries verbatim (the same file `custody verify`
 * imports). Found beside this module, or, inside the Next.js server bundle where modules have moved,
 * under the package root the server runs in.
 */
export function readVerifierSource(): Buffer {
  if (cached) return cached;
  const candidates: string[] = [];
  try {
    const here = new URL("./verify-pack.mjs", import.meta.url);
    if (here.protocol === "file:") candidates.push(fileURLToPath(here));
  } catch {
    // not a file URL inside a bundle
  }
  candidates.push(join(process.cwd(), "lib", "evidence", "pack", "verify-pack.mjs"));
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`verify-pack.mjs not found (looked in ${candidates.join(", ")})`);
  cached = readFileSync(path);
  return cached;
}
