import "server-only";
import type pg from "pg";

export type TReplaySelection =
  | { kind: "ids"; ids: string[] }
  | { kind: "failed" }
  | { kind: "filter"; source?: string; from?: Date; to?: Date; states?: string[] };

/**
 * Re-queues deliveries for processing (after a fix or an upgrade): marks them pending and adds a
 * job per delivery with a fresh job key. Processing replaces each delivery's facts, so replaying
 * is idempotent. Returns how many were queued.
 */
export async function requeueDeliveries(pool: pg.Pool, selection: TReplaySelection): Promise<number> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (selection.kind === "ids") {
    values.push(selection.ids);
    where.push(`id = ANY($${values.length}::uuid[])`);
  } else if (selection.kind === "failed") {
    where.push("processing_state = 'failed'");
  } else {
    if (selection.source) {
      values.push(selection.source);
      where.push(`source = $${values.length}::"Source"`);
    }
    if (selection.from) {
      values.push(selection.from);
      where.push(`received_at >= $${values.length}`);
    }
    if (selection.to) {
      values.push(selection.to);
      where.push(`received_at < $${values.length}`);
    }
    if (selection.states?.length) {
      values.push(selection.states);
      where.push(`processing_state::text = ANY($${values.length}::text[])`);
    }
  }
  const { rowCount } = await pool.query(
    `WITH chosen AS (
       UPDATE delivery SET processing_state = 'pending' WHERE ${where.length ? where.join(" AND ") : "true"} RETURNING id
     )
     SELECT graphile_worker.add_job('replay_delivery', json_build_object('deliveryId', id), job_key := 'replay:' || id::text || ':' || extract(epoch from clock_timestamp())::text, max_attempts := 8)
     FROM chosen`,
    values,
  );
  return rowCount ?? 0;
}
