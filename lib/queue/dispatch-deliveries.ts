import "server-only";
import type pg from "pg";

/**
 * Hands up to `limit` stored (`received`) deliveries to the job queue in one transaction: marks them
 * `pending` and adds one `process_delivery` job each with a single batched `add_jobs`. Rows another
 * dispatcher is handing over are skipped, so any number of dispatchers can run; a crash between
 * statements is impossible (one statement), so a delivery is queued exactly once. Returns how many.
 */
export async function dispatchDeliveries(pool: pg.Pool, limit = 500): Promise<number> {
  const { rows } = await pool.query<{ queued: number }>(
    `WITH picked AS (
       SELECT id FROM delivery WHERE processing_state = 'received'
       ORDER BY received_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
     ), marked AS (
       UPDATE delivery d SET processing_state = 'pending' FROM picked WHERE d.id = picked.id RETURNING d.id
     )
     SELECT count(*)::int AS queued FROM graphile_worker.add_jobs(ARRAY(
       SELECT ROW('process_delivery', json_build_object('deliveryId', id), NULL, NULL, 8, 'delivery:' || id::text, NULL, NULL)::graphile_worker.job_spec
       FROM marked
     ))`,
    [limit],
  );
  return rows[0]?.queued ?? 0;
}
