import "server-only";
import type pg from "pg";
import { Logger, run, type JobHelpers, type Runner } from "graphile-worker";
import { createWorkerPool } from "@/lib/db/create-worker-pool";
import { getEnv } from "@/lib/env";
import { resolveDatabaseUrl } from "@/lib/db/resolve-database-url";
import { logEvent } from "@/lib/shared/log-event";
import { processDelivery } from "@/lib/ingest/process/process-delivery";
import { processDeliveries } from "@/lib/ingest/process/process-deliveries";
import { linkAccounts } from "@/lib/people/link-accounts";
import { startDispatcher } from "./start-dispatcher.ts";
import { getSigningKey } from "@/lib/evidence/get-signing-key";
import { startLedger } from "@/lib/evidence/start-ledger";
import { runExportJob } from "@/lib/exports/run-export-job";
import { reconcileSources } from "@/lib/backfill/reconcile-sources";
import { runBackfill } from "@/lib/backfill/run-backfill";
import { getBackfillConfig } from "@/lib/backfill/get-backfill-config";

// graphile-worker: jobs live in Postgres (no extra service), are picked up at once through
// LISTEN/NOTIFY, and are locked with SKIP LOCKED so several workers never run one job at the same
// time. Failed jobs retry with exponential backoff. Stored deliveries become jobs in batches through
// the dispatcher each worker runs (docs/decisions/004), not one by one on the request path.

const logger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") logEvent(level === "warning" ? "warn" : "error", "worker", { message });
});

/** Records a failed attempt; on the job's last attempt the delivery is parked as `failed` with the error. */
async function recordFailure(pool: pg.Pool, deliveryId: string, error: unknown, helpers: JobHelpers): Promise<void> {
  const message = (error as Error).message;
  const final = helpers.job.attempts >= helpers.job.max_attempts;
  await pool
    .query("UPDATE delivery SET processing_state = $2, processing_error = $3, attempts = attempts + 1 WHERE id = $1", [
      deliveryId,
      final ? "failed" : "pending",
      message,
    ])
    .catch(() => {});
  logEvent("error", "delivery.process_failed", { deliveryId, attempt: helpers.job.attempts, final, error: message });
}

/** Processes one delivery; a failure is recorded on the delivery and rethrown so the job retries. */
async function processOrPark(pool: pg.Pool, deliveryId: string, helpers: JobHelpers, force: boolean): Promise<void> {
  try {
    await processDelivery(pool, deliveryId, force);
  } catch (error) {
    await recordFailure(pool, deliveryId, error, helpers);
    throw error;
  }
}

const idOf = (entry: unknown) => (entry as { deliveryId?: string } | null)?.deliveryId;

/**
 * A job carries one delivery (`{ deliveryId }`) or, as the dispatcher queues them, a batch
 * (`[{ deliveryId }, …]`, a graphile-worker batch job). A batch is processed in one transaction; if
 * that fails, each delivery is processed on its own, so one bad delivery neither fails nor delays the
 * others. The result lists one promise per entry: graphile-worker retries (with backoff) only the
 * entries that failed, and on the last attempt they are parked as `failed`.
 */
async function runDeliveryJob(pool: pg.Pool, payload: unknown, helpers: JobHelpers, force: boolean): Promise<Promise<void>[] | void> {
  if (!Array.isArray(payload)) {
    const deliveryId = idOf(payload);
    if (deliveryId) await processOrPark(pool, deliveryId, helpers, force);
    return;
  }
  const ids = payload.map(idOf).filter((id): id is string => typeof id === "string");
  if (ids.length > 1) {
    try {
      await processDeliveries(pool, ids, force);
      return payload.map(() => Promise.resolve());
    } catch (error) {
      // Fall through: one by one, in order, each with its own outcome.
      logEvent("warn", "delivery.batch_failed", { deliveries: ids.length, error: (error as Error).message });
    }
  }
  const results: Promise<void>[] = [];
  for (const entry of payload) {
    const deliveryId = idOf(entry);
    const result = deliveryId ? processOrPark(pool, deliveryId, helpers, force) : Promise.resolve();
    // Settle before the next one (one connection each, in order); the rejection is reported by the returned promise.
    await result.catch(() => {});
    results.push(result);
  }
  return results;
}

/** Starts the delivery worker in this process; resolves to a runner whose `stop()` drains it. */
export async function runWorker(options: { concurrency?: number; batch?: number } = {}): Promise<Runner> {
  const env = getEnv();
  const concurrency = options.concurrency ?? env.CUSTODY_WORKER_CONCURRENCY;
  const pool = createWorkerPool(concurrency);
  const runner = await run({
    connectionString: resolveDatabaseUrl(env),
    concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    // The embedded database serves every connection from one backend, so per-connection named
    // prepared statements would collide there.
    noPreparedStatements: env.CUSTODY_EMBEDDED === "1",
    logger,
    taskList: {
      process_delivery: (payload, helpers) => runDeliveryJob(pool, payload, helpers, false),
      replay_delivery: (payload, helpers) => runDeliveryJob(pool, payload, helpers, true),
      run_export: async (payload) => {
        const jobId = (payload as { jobId?: string }).jobId;
        if (jobId) await runExportJob(pool, jobId);
      },
      link_people: async () => {
        await linkAccounts(pool, { onlyIfPending: true });
      },
      // Backfills asked for from the dashboard or API (docs/backfill.md). A failed run keeps its cursor;
      // throwing lets the queue retry it with backoff, and the retry continues from that cursor.
      run_backfill: async (payload) => {
        const runId = (payload as { runId?: string }).runId;
        if (!runId) return;
        const outcome = await runBackfill(pool, runId);
        if (outcome.state === "failed") throw new Error(`backfill ${runId} failed: ${outcome.error ?? "unknown error"}`);
      },
      // Checked every minute; each source runs when CUSTODY_RECONCILE_INTERVAL has passed since its last pass.
      reconcile_sources: async () => {
        await reconcileSources(pool);
      },
    },
    // Only scheduled when a source can be read: no API settings, no cron queries (the embedded
    // database serves every connection from one backend).
    crontab:
      env.CUSTODY_RECONCILE_INTERVAL > 0 && (getBackfillConfig("gitlab").ok || getBackfillConfig("buildkite").ok)
        ? "* * * * * reconcile_sources ?max=1&jobKey=reconcile-sources"
        : "",
  });
  const dispatcher = startDispatcher(pool, {
    connectionString: resolveDatabaseUrl(env),
    pollMs: 500,
    perJob: options.batch ?? env.CUSTODY_WORKER_BATCH,
    // One job waiting per slot keeps every slot busy; what arrives meanwhile waits as `received`
    // and goes out in fuller jobs when a slot frees up.
    maxWaitingJobs: concurrency,
  });
  // A finished job frees a slot: hand over what has been waiting at once.
  runner.events.on("job:complete", ({ job }) => {
    if (job.task_identifier === "process_delivery") dispatcher.nudge();
  });
  const ledger = startLedger(pool, {
    connectionString: resolveDatabaseUrl(env),
    pollMs: 1_000,
    checkpointSeconds: env.CUSTODY_CHECKPOINT_INTERVAL,
    signingKey: getSigningKey(),
  });
  const stopRunner = runner.stop.bind(runner);
  runner.stop = async () => {
    await ledger.stop();
    await dispatcher.stop();
    await stopRunner();
  };
  void runner.promise.finally(() => pool.end().catch(() => {}));
  return runner;
}
