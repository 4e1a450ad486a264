import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { fingerprintOf } from "./pack/verify-pack.mjs";

export type TSigningKey = { privateKey: KeyObject; publicKey: KeyObject; publicKeyPem: string; fingerprint: string };
export type TPublicKey = Omit<TSigningKey, "privateKey">;

/** SHA-256 (hex) of the DER SubjectPublicKeyInfo: the pack verifier's own function, so a key's fingerprint is computed one way everywhere. */
export const fingerprintPublicKey: (publicKey: KeyObject) => string = fingerprintOf;

/** An Ed25519 public key from PEM (a public key, or a private key whose public half is wanted). */
export function readPublicKey(pem: string): TPublicKey {
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== "ed25519") throw new Error(`must be an Ed25519 key, not ${publicKey.asymmetricKeyType ?? "unknown"}`);
  return { publicKey, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), fingerprint: fingerprintPublicKey(publicKey) };
}

/** An Ed25519 private key (PKCS#8 PEM) with its public half and fingerprint; throws with a readable reason. */
export function readSigningKey(pem: string): TSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error("is not a PEM private key (expected -----BEGIN PRIVATE KEY-----, as `npx custody keygen` writes)");
  }
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`must be an Ed25519 key, not ${privateKey.asymmetricKeyType ?? "unknown"}`);
  return { privateKey, ...readPublicKey(privateKey.export({ type: "pkcs8", format: "pem" }).toString()) };
}
