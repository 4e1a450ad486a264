import { createHash } from "node:crypto";

// The exact text a checkpoint signs (docs/evidence.md, "Checkpoints"). Pure, so an offline verifier
// can share it.

export type TCheckpointFields = {
  number: bigint;
  treeSize: bigint;
  rootHash: Buffer;
  time: string;
  previousHash: Buffer | null;
  keyFingerprint: string;
};

const header = "custody-ledger-checkpoint/v1";

/** The statement: one `name value` line per field after the header, hashes in lowercase hex, each line ending in \n. */
export function buildCheckpointStatement(fields: TCheckpointFields): string {
  return [
    header,
    `number ${fields.number}`,
    `tree_size ${fields.treeSize}`,
    `root ${fields.rootHash.toString("hex")}`,
    `time ${fields.time}`,
    `previous ${fields.previousHash ? fields.previousHash.toString("hex") : "-"}`,
    `key ${fields.keyFingerprint}`,
  ]
    .map((line) => `${line}\n`)
    .join("");
}

/** The fields of a statement, or null when it is not exactly in the form buildCheckpointStatement writes. */
export function parseCheckpointStatement(statement: string): TCheckpointFields | null {
  const match =
    /^custody-ledger-checkpoint\/v1\nnumber (0|[1-9]\d*)\ntree_size (0|[1-9]\d*)\nroot ([0-9a-f]{64})\ntime (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\nprevious (-|[0-9a-f]{64})\nkey ([0-9a-f]{64})\n$/.exec(
      statement,
    );
  if (!match) return null;
  return {
    number: BigInt(match[1]!),
    treeSize: BigInt(match[2]!),
    rootHash: Buffer.from(match[3]!, "hex"),
    time: match[4]!,
    previousHash: match[5] === "-" ? null : Buffer.from(match[5]!, "hex"),
    keyFingerprint: match[6]!,
  };
}

/** What the next checkpoint's `previous` holds: SHA-256 of this statement's UTF-8 bytes. */
export function hashCheckpointStatement(statement: string): Buffer {
  return createHash("sha256").update(statement, "utf8").digest();
}
