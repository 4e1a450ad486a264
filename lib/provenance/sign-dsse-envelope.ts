import "server-only";
import { sign } from "node:crypto";
import type { TSigningKey } from "@/lib/evidence/read-signing-key";

export type TDsseEnvelope = { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };

/** DSSE v1 pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body. */
const pae = (type: string, body: Buffer) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.byteLength} `, "utf8"), body]);

/** A DSSE envelope over `payload`, signed with the Ed25519 key; `keyid` is the key's SHA-256 fingerprint. */
export function signDsseEnvelope(payloadType: string, payload: string, key: TSigningKey): TDsseEnvelope {
  const body = Buffer.from(payload, "utf8");
  return {
    payloadType,
    payload: body.toString("base64"),
    signatures: [{ keyid: key.fingerprint, sig: sign(null, pae(payloadType, body), key.privateKey).toString("base64") }],
  };
}
