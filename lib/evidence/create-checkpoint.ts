import "server-only";
import { sign } from "node:crypto";
import type pg from "pg";
import { buildCheckpointStatement, hashCheckpointStatement } from "./checkpoint-statement.ts";
import { rootFromFrontier } from "./merkle.ts";
import type { TSigningKey } from "./read-signing-key.ts";

export type TCheckpoint = { number: bigint; treeSize: bigint; rootHash: Buffer; time: string; statement: string; signature: Buffer };

/**
 * Signs the current tree head and appends it to ledger_checkpoint, chained to the previous one. With
 * `intervalSeconds`, does nothing (returns null) unless the newest checkpoint is at least that old, so
 * several workers write one checkpoint per interval between them: the ledger_head lock serializes them
 * and also keeps appenders out while the head is read.
 */
export async function createCheckpoint(pool: pg.Pool, key: TSigningKey, options: { intervalSeconds?: number; now?: Date } = {}): Promise<TCheckpoint | null> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const head = await client.query<{ size: string; frontier: Buffer[] | null }>("SELECT size::text AS size, frontier FROM ledger_head WHERE id = 1 FOR UPDATE");
    if (!head.rows[0]) throw new Error("ledger_head row is missing: run the migrations");
    const last = await client.query<{ number: string; statement: string; created_at: Date }>(
      "SELECT number::text AS number, statement, created_at FROM ledger_checkpoint ORDER BY ledger_checkpoint.number DESC LIMIT 1",
    );
    const previous = last.rows[0];
    const now = options.now ?? new Date();
    if (previous && options.intervalSeconds !== undefined && now.getTime() - previous.created_at.getTime() < options.intervalSeconds * 1000) {
      await client.query("ROLLBACK");
      return null;
    }
    const treeSize = BigInt(head.rows[0].size);
    const rootHash = rootFromFrontier(head.rows[0].frontier ?? []);
    const number = previous ? BigInt(previous.number) + 1n : 0n;
    const time = now.toISOString();
    const statement = buildCheckpointStatement({
      number,
      treeSize,
      rootHash,
      time,
      previousHash: previous ? hashCheckpointStatement(previous.statement) : null,
      keyFingerprint: key.fingerprint,
    });
    const signature = sign(null, Buffer.from(statement, "utf8"), key.privateKey);
    await client.query(
      `INSERT INTO ledger_checkpoint (number, tree_size, root_hash, created_at, previous_hash, key_fingerprint, statement, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [number.toString(), treeSize.toString(), rootHash, now, previous ? hashCheckpointStatement(previous.statement) : null, key.fingerprint, statement, signature],
    );
    await client.query("COMMIT");
    return { number, treeSize, rootHash, time, statement, signature };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
