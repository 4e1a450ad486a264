import "server-only";
import { createCipheriv, randomBytes } from "node:crypto";
import { deriveSealingKey } from "./derive-sealing-key.ts";

/** Encrypts a secret for storage: `v1.<iv>.<ciphertext+tag>` (AES-256-GCM, base64url). */
export function sealSecret(plain: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveSealingKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString("base64url")}.${body.toString("base64url")}`;
}
