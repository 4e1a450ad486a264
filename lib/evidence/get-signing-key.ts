import "server-only";
import { readFileSync } from "node:fs";
import { getEnv } from "@/lib/env";
import { readSigningKey, type TSigningKey } from "./read-signing-key.ts";

export type TSigningKeyStatus = { status: "missing" } | { status: "invalid"; message: string } | ({ status: "ok" } & TSigningKey);

/** The checkpoint signing key from CUSTODY_SIGNING_KEY (inline PEM or a file path), or why there is none. */
export function getSigningKey(): TSigningKeyStatus {
  const value = getEnv().CUSTODY_SIGNING_KEY;
  if (!value) return { status: "missing" };
  let pem = value;
  if (!value.includes("-----BEGIN")) {
    try {
      pem = readFileSync(value, "utf8");
    } catch (error) {
      return { status: "invalid", message: `CUSTODY_SIGNING_KEY: cannot read ${value} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
  }
  try {
    return { status: "ok", ...readSigningKey(pem.replace(/\\n/g, "\n")) };
  } catch (error) {
    return { status: "invalid", message: `CUSTODY_SIGNING_KEY: ${(error as Error).message}` };
  }
}
