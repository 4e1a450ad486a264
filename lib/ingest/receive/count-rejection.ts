import "server-only";
import type pg from "pg";
import { logEvent } from "@/lib/shared/log-event";

/** Counts a refused request per source, reason and hour, and logs it without the body. Never throws. */
export async function countRejection(pool: pg.Pool, source: string, reason: string, meta: Record<string, unknown>): Promise<void> {
  logEvent("warn", "webhook.rejected", { source, reason, ...meta });
  await pool
    .query({
      // Best effort: a stuck database must not hold the refusal (or a pool connection) hostage.
      // pg honours a per-query `query_timeout`; its type definitions do not list it.
      query_timeout: 2_000,
      text: `INSERT INTO ingest_rejection (source, reason, hour, count, last_at) VALUES ($1, $2, date_trunc('hour', now()), 1, now())
       ON CONFLICT (source, reason, hour) DO UPDATE SET count = ingest_rejection.count + 1, last_at = now()`,
      values: [source, reason],
    } as pg.QueryConfig)
    .catch(() => {});
}
