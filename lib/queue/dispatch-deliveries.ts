import "server-only";
import type pg from "pg";

export type TDispatchOptions = {
  /** Most deliveries handed over per call. */
  limit: number;
  /** Most deliveries per job. */
  perJob: number;
  /** Hand over nothing while this many `process_delivery` jobs are already waiting to start. */
  maxWaitingJobs: number;
};

/**
 * Hands stored (`received`) deliveries to the job queue in one transaction: marks them `pending` and
 * adds `process_delivery` jobs with a single batched `add_jobs`, each job carrying up to `perJob`
 * consecutive deliveries (in `(received_at, id)` order) as a graphile-worker batch job
 * (`[{ deliveryId }, …]`), which the worker folds in one transaction.
 *
 * Only as many jobs are added as keep `maxWaitingJobs` waiting (due and not started): while the
 * workers are busy, new deliveries stay `received` and the next call (a job finished, a delivery
 * arrived, or the poll) hands them over in fuller jobs. A trickle therefore gives jobs of one or two
 * deliveries without waiting to fill a batch, and a backlog gives full ones, so the worker does less
 * work per delivery exactly when it has more to do.
 *
 * Rows another dispatcher is handing over are skipped, so any number of dispatchers can run; one
 * statement cannot stop halfway, so a delivery is queued exactly once. Returns how many deliveries
 * were queued.
 */
export async function dispatchDeliveries(pool: pg.Pool, options: TDispatchOptions): Promise<number> {
  const { rows } = await pool.query<{ queued: number; jobs: number }>(
    `WITH room AS (
       SELECT greatest(0, $3::int - (
         SELECT count(*)::int FROM graphile_worker.jobs
         WHERE task_identifier = 'process_delivery' AND locked_at IS NULL AND run_at <= now() AND attempts = 0
       )) * $2::int AS n
     ), picked AS (
       SELECT id FROM delivery WHERE processing_state = 'received'
       ORDER BY received_at, id LIMIT least($1::int, (SELECT n FROM room)) FOR UPDATE SKIP LOCKED
     ), marked AS (
       UPDATE delivery d SET processing_state = 'pending' FROM picked WHERE d.id = picked.id RETURNING d.id, d.received_at
     ), chunked AS (
       SELECT id, received_at, (row_number() OVER (ORDER BY received_at, id) - 1) / $2::int AS chunk FROM marked
     ), jobs AS (
       SELECT * FROM graphile_worker.add_jobs(ARRAY(
         SELECT ROW('process_delivery', json_agg(json_build_object('deliveryId', id) ORDER BY received_at, id), NULL, NULL, 8, NULL, NULL, NULL)::graphile_worker.job_spec
         FROM chunked GROUP BY chunk ORDER BY chunk
       ))
     )
     -- A CTE that only reads is evaluated only when referenced: count both, so the jobs are added.
     SELECT (SELECT count(*) FROM marked)::int AS queued, (SELECT count(*) FROM jobs)::int AS jobs`,
    [options.limit, options.perJob, options.maxWaitingJobs],
  );
  return rows[0]?.queued ?? 0;
}
