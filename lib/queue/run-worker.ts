import "server-only";
import type pg from "pg";
import { Logger, run, type JobHelpers, type Runner } from "graphile-worker";
import { createWorkerPool } from "@/lib/db/create-worker-pool";
import { getEnv } from "@/lib/env";
import { resolveDatabaseUrl } from "@/lib/db/resolve-database-url";
import { logEvent } from "@/lib/shared/log-event";
import { processDelivery } from "@/lib/ingest/process/process-delivery";
import { linkAccounts } from "@/lib/people/link-accounts";
import { startDispatcher } from "./start-dispatcher.ts";
import { getSigningKey } from "@/lib/evidence/get-signing-key";
import { startLedger } from "@/lib/evidence/start-ledger";
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

/**
 * Processes one delivery; when the job's last attempt fails, parks the delivery as `failed` with the
 * error so the Ingest page shows it and `custody replay --failed` finds it.
 */
async function processOrPark(pool: pg.Pool, payload: unknown, helpers: JobHelpers, force: boolean): Promise<void> {
  const deliveryId = (payload as { deliveryId?: string }).deliveryId;
  if (!deliveryId) return;
  try {
    await processDelivery(pool, deliveryId, force);
  } catch (error) {
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
    throw error;
  }
}

/** Starts the delivery worker in this process; resolves to a runner whose `stop()` drains it. */
export async function runWorker(options: { concurrency?: number } = {}): Promise<Runner> {
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
      process_delivery: (payload, helpers) => processOrPark(pool, payload, helpers, false),
      replay_delivery: (payload, helpers) => processOrPark(pool, payload, helpers, true),
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
  const dispatcher = startDispatcher(pool, { connectionString: resolveDatabaseUrl(env), pollMs: 500 });
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
