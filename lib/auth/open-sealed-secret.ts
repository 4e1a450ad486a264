import "server-only";
import { createDecipheriv } from "node:crypto";
import { deriveSealingKey } from "./derive-sealing-key.ts";

/** Decrypts what sealSecret stored; null when it was sealed with another secret or altered. */
export function openSealedSecret(sealed: string, secret: string): string | null {
  const [version, iv, body] = sealed.split(".");
  if (version !== "v1" || !iv || !body) return null;
  try {
    const bytes = Buffer.from(body, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", deriveSealingKey(secret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
