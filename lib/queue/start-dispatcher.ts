import "server-only";
import type pg from "pg";
import { deliveriesChannel } from "./announce-deliveries.ts";
import { dispatchDeliveries } from "./dispatch-deliveries.ts";
import { startNotifiedLoop, type TNotifiedLoop } from "./start-notified-loop.ts";

const BATCH = 500;

/**
 * Keeps handing stored deliveries to the job queue: at once when a receiver announces new ones, and
 * every `pollMs` in case an announcement was lost; each job carries up to `perJob` deliveries. A database outage is logged once and retried.
 */
export function startDispatcher(pool: pg.Pool, options: { connectionString: string; pollMs: number; perJob: number }): TNotifiedLoop {
  return startNotifiedLoop({
    name: "dispatcher",
    connectionString: options.connectionString,
    channel: deliveriesChannel,
    pollMs: options.pollMs,
    step: async () => ({ more: (await dispatchDeliveries(pool, BATCH, options.perJob)) === BATCH }),
  });
}
