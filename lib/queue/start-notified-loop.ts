import "server-only";
import pg from "pg";
import { logEvent } from "@/lib/shared/log-event";

export type TNotifiedLoop = {
  /** Runs the next step now (or right after the current one) instead of waiting for a notification or the poll. */
  nudge: () => void;
  stop: () => Promise<void>;
};

/**
 * Runs `step` again and again: at once while it reports more work, otherwise when `channel` is
 * notified (LISTEN on a connection of its own, reconnected as needed) or after `pollMs`, in case a
 * notification was lost or LISTEN is unavailable. A failing step is logged once as `<name>.failed`
 * (and `<name>.recovered` when it works again) and retried at the next wake-up.
 */
export function startNotifiedLoop(options: {
  name: string;
  connectionString: string;
  channel: string;
  pollMs: number;
  step: () => Promise<{ more: boolean }>;
}): TNotifiedLoop {
  let running = true;
  let wake: (() => void) | undefined;
  let listener: pg.Client | undefined;
  let failing = false;
  // A nudge that arrives while a step runs is kept, so the step after it is not delayed to the poll.
  let nudged = false;

  const nudge = () => {
    if (wake) wake();
    else nudged = true;
  };
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
    const client = new pg.Client({ connectionString: options.connectionString, application_name: `custody-${options.name}` });
    client.on("error", () => {
      if (listener === client) listener = undefined;
      void client.end().catch(() => {});
    });
    client.on("notification", nudge);
    try {
      await client.connect();
      await client.query(`LISTEN ${options.channel}`);
      listener = client;
    } catch {
      void client.end().catch(() => {});
    }
  };

  const loop = (async () => {
    while (running) {
      await listen();
      let more = false;
      try {
        more = (await options.step()).more;
        if (failing) logEvent("info", `${options.name}.recovered`, {});
        failing = false;
      } catch (error) {
        if (!failing) logEvent("error", `${options.name}.failed`, { error: (error as Error).message });
        failing = true;
      }
      if (!more && !nudged && running) await sleep();
      nudged = false;
    }
  })();

  return {
    nudge,
    stop: async () => {
      running = false;
      nudge();
      await loop;
      await listener?.end().catch(() => {});
    },
  };
}
