import "server-only";
import pg from "pg";
import { logEvent } from "@/lib/shared/log-event";
import { deliveriesChannel } from "./announce-deliveries.ts";
import { dispatchDeliveries } from "./dispatch-deliveries.ts";

const BATCH = 500;

export type TDispatcher = { stop: () => Promise<void> };

/**
 * Keeps handing stored deliveries to the job queue: at once when a receiver announces new ones
 * (LISTEN), and every `pollMs` in case an announcement was lost or LISTEN is unavailable. A database
 * outage is logged once and retried on the next poll.
 */
export function startDispatcher(pool: pg.Pool, options: { connectionString: string; pollMs: number }): TDispatcher {
  let running = true;
  let wake: (() => void) | undefined;
  let listener: pg.Client | undefined;
  let failing = false;

  const nudge = () => wake?.();
  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = undefined;
    });

  const listen = async () => {
    if (!running || listener) return;
    const client = new pg.Client({ connectionString: options.connectionString, application_name: "custody-dispatcher" });
    client.on("error", () => {
      if (listener === client) listener = undefined;
      void client.end().catch(() => {});
    });
    client.on("notification", nudge);
    try {
      await client.connect();
      await client.query(`LISTEN ${deliveriesChannel}`);
      listener = client;
    } catch {
      void client.end().catch(() => {});
    }
  };

  const loop = (async () => {
    while (running) {
      await listen();
      let queued = 0;
      try {
        queued = await dispatchDeliveries(pool, BATCH);
        if (failing) logEvent("info", "dispatcher.recovered", {});
        failing = false;
      } catch (error) {
        if (!failing) logEvent("error", "dispatcher.failed", { error: (error as Error).message });
        failing = true;
      }
      if (queued < BATCH && running) await sleep();
    }
  })();

  return {
    stop: async () => {
      running = false;
      nudge();
      await loop;
      await listener?.end().catch(() => {});
    },
  };
}
