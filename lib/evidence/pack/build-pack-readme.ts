/** README.txt of a pack: what is in it and how to check it with or without the script. */
export function buildPackReadme(info: { from: string; to: string; fingerprint: string; checkpoint: string }): string {
  return `Custody evidence pack
=====================

Period: ${info.from} to ${info.to} (deliveries received in [from, to), and every delivery a
change-management or credentials report row rests on, wherever it was received)
Signed by the Ed25519 key with SHA-256 fingerprint
  ${info.fingerprint}
Compare it with the fingerprint in Custody's Settings (or the one your organisation published).

Check everything (Node.js 20.19 or later, nothing to install):

  node verify-pack.mjs <this-pack.zip> --key <custody-signing-key.pub.pem or the fingerprint>

It exits 0 only when every file's SHA-256, every delivery's ledger leaf and inclusion proof, the
checkpoint signature and the manifest signature check; otherwise it names the first thing that does not.
Without --key it still checks everything but can only say which key signed: a pack re-signed with
another key carries that other key.

Contents (every file listed in manifest.json with its size and SHA-256, in zip order):
  manifest.json / manifest.sig   the manifest and its Ed25519 signature (64 raw bytes)
  public-key.pem                 the signing public key (SPKI)
  checkpoints/${info.checkpoint}.txt/.sig  the signed ledger checkpoint the proofs lead to
  reports/                       change-management, credentials and completeness reports (CSV, JSON)
  deliveries/<id>.body           each delivery's body, the exact bytes received
  deliveries/<id>.json           its ledger leaf (headers and metadata), seq and inclusion proof

By hand, with OpenSSL (1.1.1 or later):
  openssl pkey -pubin -in public-key.pem -outform DER | sha256sum        # the fingerprint
  openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig
  openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in checkpoints/${info.checkpoint}.txt -sigfile checkpoints/${info.checkpoint}.sig
  sha256sum deliveries/<id>.body     # equals leaf.bodySha256 in deliveries/<id>.json
The leaf hash is SHA-256(0x00 || RFC 8785 canonical JSON of "leaf"); the proof is an RFC 6962 audit
path from that leaf at index "seq" to the checkpoint's root (docs/evidence.md in Custody).
`;
}
