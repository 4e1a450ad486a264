import "server-only";
import type pg from "pg";
import { auditLeafColumns, buildAuditLeaf, buildDeliveryLeaf, deliveryLeafColumns, type TAuditLeafRow, type TDeliveryLeafRow } from "./build-leaf.ts";
import { appendToFrontier, hashLeaf } from "./merkle.ts";

/** How far behind the newest appended time a `lookback` pass looks for rows committed late. */
const LOOKBACK = "10 minutes";

type THead = { size: string; frontier: Buffer[] | null; delivery_floor: string | null; audit_floor: string | null };

/**
 * Appends up to `limit` deliveries and up to `limit` audit entries that are not in the ledger yet, in
 * one transaction: deliveries by (received_at, id), then audit entries by (occurred_at, id). The
 * ledger_head row is locked FOR UPDATE for the whole transaction, so concurrent appenders take turns,
 * every row is appended exactly once (also guarded by the unique (kind, ref_id)), and seq has no holes
 * even when a transaction rolls back. Which rows are looked at: by default those at or after the
 * newest time appended so far (cheap: an index range); with `lookback`, also those up to LOOKBACK
 * older (rows whose transaction committed late); with `sweep`, every row (run on a worker's first pass
 * and before each checkpoint, so rows stored before the ledger existed or with an old time are
 * appended too). Returns how many.
 */
export async function appendToLedger(pool: pg.Pool, options: { limit?: number; lookback?: boolean; sweep?: boolean } = {}): Promise<number> {
  const limit = options.limit ?? 1000;
  const sweep = options.sweep ?? false;
  const margin = options.lookback ? LOOKBACK : "0 seconds";
  // The lower bound of each scan, as a plain parameter so the (time, id) index serves it.
  const from = (floor: string | null) => (sweep || floor === null ? "-infinity" : floor);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const head = await client.query<THead>("SELECT size::text AS size, frontier, delivery_floor::text, audit_floor::text FROM ledger_head WHERE id = 1 FOR UPDATE");
    if (!head.rows[0]) throw new Error("ledger_head row is missing: run the migrations");
    const deliveries = await client.query<TDeliveryLeafRow & { at: Date }>(
      `SELECT ${deliveryLeafColumns}, received_at AS at FROM delivery d
       WHERE d.received_at >= $2::timestamptz - $3::interval
         AND NOT EXISTS (SELECT 1 FROM ledger_entry l WHERE l.kind = 'delivery' AND l.ref_id = d.id)
       ORDER BY d.received_at, d.id LIMIT $1`,
      [limit, from(head.rows[0].delivery_floor), margin],
    );
    const audits = await client.query<TAuditLeafRow & { at: Date }>(
      `SELECT ${auditLeafColumns}, occurred_at AS at FROM audit_entry a
       WHERE a.occurred_at >= $2::timestamptz - $3::interval
         AND NOT EXISTS (SELECT 1 FROM ledger_entry l WHERE l.kind = 'audit' AND l.ref_id = a.id)
       ORDER BY a.occurred_at, a.id LIMIT $1`,
      [limit, from(head.rows[0].audit_floor), margin],
    );
    const count = deliveries.rows.length + audits.rows.length;
    if (count === 0) {
      await client.query("ROLLBACK");
      return 0;
    }
    let size = BigInt(head.rows[0].size);
    let frontier = head.rows[0].frontier ?? [];
    const seqs: string[] = [];
    const kinds: string[] = [];
    const refIds: string[] = [];
    const leaves: Buffer[] = [];
    const add = (kind: "delivery" | "audit", id: string, data: Buffer) => {
      const leaf = hashLeaf(data);
      seqs.push(size.toString());
      kinds.push(kind);
      refIds.push(id);
      leaves.push(leaf);
      frontier = appendToFrontier(frontier, size, leaf);
      size += 1n;
    };
    for (const row of deliveries.rows) add("delivery", row.id, buildDeliveryLeaf(row));
    for (const row of audits.rows) add("audit", row.id, buildAuditLeaf(row));
    await client.query(
      `INSERT INTO ledger_entry (seq, kind, ref_id, leaf_hash)
       SELECT * FROM unnest($1::bigint[], $2::"LedgerKind"[], $3::uuid[], $4::bytea[])`,
      [seqs, kinds, refIds, leaves],
    );
    const newest = (rows: { at: Date }[]) => (rows.length ? rows.reduce((a, b) => (b.at > a ? b.at : a), rows[0]!.at) : null);
    await client.query(
      `UPDATE ledger_head SET size = $1::bigint, frontier = $2::bytea[],
         delivery_floor = GREATEST(delivery_floor, $3::timestamptz), audit_floor = GREATEST(audit_floor, $4::timestamptz)
       WHERE id = 1`,
      [size.toString(), frontier, newest(deliveries.rows), newest(audits.rows)],
    );
    await client.query("COMMIT");
    return count;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
