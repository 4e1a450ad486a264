import "server-only";
import type pg from "pg";
import { deliveriesChannel } from "./announce-deliveries.ts";
import { dispatchDeliveries } from "./dispatch-deliveries.ts";
import { startNotifiedLoop, type TNotifiedLoop } from "./start-notified-loop.ts";

const LIMIT = 500;

/**
 * Keeps handing stored deliveries to the job queue: at once when a receiver announces new ones or
 * `nudge()` is called (the worker calls it whenever a job finishes), and every `pollMs` in case an
 * announcement was lost. Each job carries up to `perJob` deliveries, and at most `maxWaitingJobs` jobs
 * wait to start (see dispatchDeliveries). A database outage is logged once and retried.
 */
export function startDispatcher(pool: pg.Pool, options: { connectionString: string; pollMs: number; perJob: number; maxWaitingJobs: number }): TNotifiedLoop {
  return startNotifiedLoop({
    name: "dispatcher",
    connectionString: options.connectionString,
    channel: deliveriesChannel,
    pollMs: options.pollMs,
    step: async () => ({
      more: (await dispatchDeliveries(pool, { limit: LIMIT, perJob: options.perJob, maxWaitingJobs: options.maxWaitingJobs })) === LIMIT,
    }),
  });
}
