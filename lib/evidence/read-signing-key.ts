import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

export type TSigningKey = { privateKey: KeyObject; publicKey: KeyObject; publicKeyPem: string; fingerprint: string };
export type TPublicKey = Omit<TSigningKey, "privateKey">;

/** SHA-256 (hex) of the DER SubjectPublicKeyInfo: what `openssl pkey -pubin -outform DER | sha256sum` prints. */
export function fingerprintPublicKey(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex");
}

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
