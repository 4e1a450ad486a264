import "server-only";
import { verify } from "node:crypto";
import type pg from "pg";
import { auditLeafColumns, buildAuditLeaf, buildDeliveryLeaf, deliveryLeafColumns, type TAuditLeafRow, type TDeliveryLeafRow } from "./build-leaf.ts";
import { hashCheckpointStatement, parseCheckpointStatement } from "./checkpoint-statement.ts";
import { appendToFrontier, hashLeaf, rootFromFrontier } from "./merkle.ts";
import type { TPublicKey } from "./read-signing-key.ts";

export type TLedgerVerification =
  | { ok: true; entries: bigint; checkpoints: number; root: string }
  | { ok: false; problem: string; entries: bigint; checkpoints: number };

type TCheckpointRow = {
  number: string;
  tree_size: string;
  root_hash: Buffer;
  created_at: Date;
  previous_hash: Buffer | null;
  key_fingerprint: string;
  statement: string;
  signature: Buffer;
};

const PAGE = 2000;

/**
 * Recomputes the ledger from the database: every leaf hash from the row it references (so an edited
 * delivery or audit entry shows), seq 0..N-1 without holes, the RFC 6962 root at every checkpoint's
 * tree size, every checkpoint's statement, signature (against `trustedKeys`) and link to the previous
 * one, and finally the head the appenders keep. Stops at the first problem and names it.
 */
export async function verifyLedger(pool: pg.Pool, trustedKeys: TPublicKey[]): Promise<TLedgerVerification> {
  const { rows: checkpoints } = await pool.query<TCheckpointRow>(
    `SELECT number::text AS number, tree_size::text AS tree_size, root_hash, created_at, previous_hash, key_fingerprint, statement, signature
     FROM ledger_checkpoint ORDER BY ledger_checkpoint.number`,
  );
  let entries = 0n;
  let checked = 0;
  const fail = (problem: string): TLedgerVerification => ({ ok: false, problem, entries, checkpoints: checked });

  // The checkpoint chain on its own: statements, signatures, numbering and links.
  let previousStatement: string | null = null;
  let previousSize = 0n;
  for (const [index, row] of checkpoints.entries()) {
    const label = `checkpoint ${row.number}`;
    if (row.number !== String(index)) {
      return fail(index === 0 ? `checkpoint 0 is missing (the first stored is ${label})` : `checkpoint ${index} is missing (after checkpoint ${index - 1} comes ${label})`);
    }
    const fields = parseCheckpointStatement(row.statement);
    if (!fields) return fail(`${label}: the signed statement is not in the checkpoint format`);
    if (
      fields.number !== BigInt(row.number) ||
      fields.treeSize !== BigInt(row.tree_size) ||
      !fields.rootHash.equals(row.root_hash) ||
      fields.time !== row.created_at.toISOString() ||
      fields.keyFingerprint !== row.key_fingerprint ||
      !(fields.previousHash === null ? row.previous_hash === null : row.previous_hash !== null && fields.previousHash.equals(row.previous_hash))
    ) {
      return fail(`${label}: the stored columns differ from the signed statement`);
    }
    const key = trustedKeys.find((k) => k.fingerprint === fields.keyFingerprint);
    if (!key) return fail(`${label}: signed by key ${fields.keyFingerprint}, which is not a trusted key`);
    if (!verify(null, Buffer.from(row.statement, "utf8"), key.publicKey, row.signature)) return fail(`${label}: the signature does not verify`);
    const expectedPrevious = previousStatement === null ? null : hashCheckpointStatement(previousStatement);
    if (expectedPrevious === null ? fields.previousHash !== null : !fields.previousHash?.equals(expectedPrevious)) {
      return fail(`${label}: previous hash does not match checkpoint ${index - 1} (a checkpoint was removed or rewritten)`);
    }
    if (fields.treeSize < previousSize) return fail(`${label}: tree size ${fields.treeSize} is smaller than the previous checkpoint's ${previousSize}`);
    previousStatement = row.statement;
    previousSize = fields.treeSize;
  }

  // The leaves, page by page, checking each checkpoint's root as the tree reaches its size.
  let frontier: Buffer[] = [];
  let nextCheckpoint = 0;
  const checkRootsAtSize = (): string | null => {
    while (nextCheckpoint < checkpoints.length && BigInt(checkpoints[nextCheckpoint]!.tree_size) === entries) {
      const row = checkpoints[nextCheckpoint]!;
      if (!rootFromFrontier(frontier).equals(row.root_hash)) return `checkpoint ${row.number}: root hash does not match the ledger's first ${row.tree_size} entries`;
      nextCheckpoint += 1;
      checked += 1;
    }
    return null;
  };
  const atStart = checkRootsAtSize();
  if (atStart) return fail(atStart);
  for (;;) {
    const { rows } = await pool.query<{ seq: string; kind: "delivery" | "audit"; ref_id: string; leaf_hash: Buffer }>(
      "SELECT seq::text AS seq, kind::text AS kind, ref_id, leaf_hash FROM ledger_entry WHERE seq >= $1 ORDER BY ledger_entry.seq LIMIT $2",
      [entries.toString(), PAGE],
    );
    if (!rows.length) break;
    const deliveryIds = rows.filter((r) => r.kind === "delivery").map((r) => r.ref_id);
    const auditIds = rows.filter((r) => r.kind === "audit").map((r) => r.ref_id);
    const deliveries = new Map(
      (await pool.query<TDeliveryLeafRow>(`SELECT ${deliveryLeafColumns} FROM delivery WHERE id = ANY($1::uuid[])`, [deliveryIds])).rows.map((r) => [r.id, r]),
    );
    const audits = new Map((await pool.query<TAuditLeafRow>(`SELECT ${auditLeafColumns} FROM audit_entry WHERE id = ANY($1::uuid[])`, [auditIds])).rows.map((r) => [r.id, r]));
    for (const entry of rows) {
      if (entry.seq !== entries.toString()) return fail(`seq ${entries} is missing (the next entry is seq ${entry.seq})`);
      const row = entry.kind === "delivery" ? deliveries.get(entry.ref_id) : audits.get(entry.ref_id);
      if (!row) return fail(`seq ${entry.seq}: ${entry.kind} ${entry.ref_id} is missing from the database`);
      const leaf = hashLeaf(entry.kind === "delivery" ? buildDeliveryLeaf(row as TDeliveryLeafRow) : buildAuditLeaf(row as TAuditLeafRow));
      if (!leaf.equals(entry.leaf_hash)) return fail(`seq ${entry.seq}: ${entry.kind} ${entry.ref_id} was changed after it was appended (leaf hash differs)`);
      frontier = appendToFrontier(frontier, entries, leaf);
      entries += 1n;
      const problem = checkRootsAtSize();
      if (problem) return fail(problem);
    }
  }
  if (nextCheckpoint < checkpoints.length) {
    const row = checkpoints[nextCheckpoint]!;
    return fail(`checkpoint ${row.number}: covers ${row.tree_size} entries but the ledger holds ${entries} (entries were removed)`);
  }
  const head = await pool.query<{ size: string; frontier: Buffer[] | null }>("SELECT size::text AS size, frontier FROM ledger_head WHERE id = 1");
  const headRow = head.rows[0];
  if (!headRow || BigInt(headRow.size) !== entries || !rootFromFrontier(headRow.frontier ?? []).equals(rootFromFrontier(frontier))) {
    return fail(`ledger head (size ${headRow?.size ?? "none"}) does not match the ${entries} entries`);
  }
  return { ok: true, entries, checkpoints: checked, root: rootFromFrontier(frontier).toString("hex") };
}
