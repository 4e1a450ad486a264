import "server-only";
import type pg from "pg";

/** The channel stored deliveries are announced on; dispatchers LISTEN to it. */
export const deliveriesChannel = "custody_deliveries";

// One NOTIFY per pool per window however many deliveries arrive in it.
const COALESCE_MS = 10;
const pending = new WeakSet<pg.Pool>();

/**
 * Wakes the dispatchers after deliveries were stored. Best effort and never awaited: if the
 * notification is lost, dispatchers find the deliveries on their next poll.
 */
export function announceDeliveries(pool: pg.Pool): void {
  if (pending.has(pool)) return;
  pending.add(pool);
  setTimeout(() => {
    pending.delete(pool);
    pool.query(`NOTIFY ${deliveriesChannel}`).catch(() => {});
  }, COALESCE_MS).unref();
}
