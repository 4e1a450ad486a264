import { createHash, createPrivateKey, createPublicKey } from "node:crypto";

// A throwaway Ed25519 key for the e2e app only: PKCS#8 DER is a fixed 16-byte prefix and the 32-byte
// seed, so every process that loads this (the config and the specs) derives the same key.
const seed = createHash("sha256").update("custody e2e ledger key").digest();
const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });

export const ledgerSigningKey = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

/** SHA-256 of the DER public key: what Settings must show. */
export const ledgerKeyFingerprint = createHash("sha256")
  .update(createPublicKey(privateKey).export({ type: "spki", format: "der" }))
  .digest("hex");
