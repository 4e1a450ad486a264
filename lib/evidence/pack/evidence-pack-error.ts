export type TEvidencePackErrorCode = "signing-key-required" | "ledger-inconsistent";

/** Why a pack cannot be written; thrown before the first byte for a missing key, so the route can answer a problem. */
export class EvidencePackError extends Error {
  constructor(
    readonly code: TEvidencePackErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EvidencePackError";
  }
}
