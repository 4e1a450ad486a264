import "server-only";
import pg from "pg";
import { getEnv } from "@/lib/env";
import { resolveDatabaseUrl } from "./resolve-database-url.ts";

/**
 * A pool for the delivery worker alone, so long processing transactions never take the connections
 * the webhook receivers need to acknowledge within their deadline.
 */
export function createWorkerPool(concurrency: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: resolveDatabaseUrl(getEnv()),
    max: concurrency + 2, // + the dispatcher and the ledger loop
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: "custody-worker",
  });
  pool.on("error", () => {});
  return pool;
}
