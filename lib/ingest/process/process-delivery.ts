import "server-only";
import type pg from "pg";
import { processDeliveries, type TProcessOutcome } from "./process-deliveries.ts";

export type { TProcessOutcome };

/**
 * Turns one stored delivery into graph rows (a batch of one, see processDeliveries). Safe to run twice
 * or concurrently for one delivery; `force` re-processes a processed delivery (replay).
 */
export async function processDelivery(pool: pg.Pool, deliveryId: string, force = false): Promise<TProcessOutcome> {
  const outcomes = await processDeliveries(pool, [deliveryId], force);
  return outcomes.get(deliveryId) ?? { state: "skipped" };
}
