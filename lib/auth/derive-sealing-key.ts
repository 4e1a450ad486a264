import "server-only";
import { hkdfSync } from "node:crypto";

/** The AES-256 key for stored GitLab tokens, derived from NEXTAUTH_SECRET (rotating it invalidates them). */
export function deriveSealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "custody", "custody stored gitlab tokens v1", 32));
}
