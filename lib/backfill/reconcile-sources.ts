import "server-only";
import type pg from "pg";
import { getEnv } from "@/lib/env";
import { getBackfillConfig, type TBackfillSource } from "./get-backfill-config.ts";
import { runBackfill, type TRunBackfillOutcome } from "./run-backfill.ts";
import { startBackfill } from "./start-backfill.ts";

const MAX_LOOKBACK_MS = 7 * 86_400_000;

/**
 * The scheduled pass (every CUSTODY_RECONCILE_INTERVAL; 0 turns it off): for each source with API
 * access configured, and whose last reconciliation (its window end) is at least one interval old, reads the
 * window since the end of its last finished reconciliation, reaching back one more interval so
 * consecutive windows overlap (an object updated at a window's edge is read twice, and dedupes), and
 * at most 7 days. Gaps found are recorded by the run. Returns what each source did.
 */
export async function reconcileSources(pool: pg.Pool, now = new Date()): Promise<Partial<Record<TBackfillSource, TRunBackfillOutcome | "not-due" | "not-configured">>> {
  const intervalMs = getEnv().CUSTODY_RECONCILE_INTERVAL * 1000;
  const result: Partial<Record<TBackfillSource, TRunBackfillOutcome | "not-due" | "not-configured">> = {};
  if (intervalMs <= 0) return result;
  for (const source of ["gitlab", "buildkite"] as const) {
    if (!getBackfillConfig(source).ok) {
      result[source] = "not-configured";
      continue;
    }
    // A pass whose worker died mid-way is still `running` (or never left `queued`): finish it from its
    // cursor first. One another worker is running answers `busy` at once. Failed passes are not retried
    // here: the next window starts where the last finished one ended, so it covers theirs.
    const { rows: orphans } = await pool.query<{ id: string }>(
      "SELECT id FROM backfill_run WHERE source = $1 AND kind = 'reconcile' AND state IN ('queued', 'running') ORDER BY created_at",
      [source],
    );
    for (const orphan of orphans) await runBackfill(pool, orphan.id);
    const { rows } = await pool.query<{ last_started: Date | null; last_end: Date | null }>(
      `SELECT max(window_to) AS last_started, max(window_to) FILTER (WHERE state = 'done') AS last_end
       FROM backfill_run WHERE source = $1 AND kind = 'reconcile'`,
      [source],
    );
    const last = rows[0];
    if (last?.last_started && now.getTime() - last.last_started.getTime() < intervalMs) {
      result[source] = "not-due";
      continue;
    }
    const start = (last?.last_end?.getTime() ?? now.getTime() - intervalMs) - intervalMs;
    const from = new Date(Math.max(start, now.getTime() - MAX_LOOKBACK_MS));
    const run = await startBackfill(pool, { source, kind: "reconcile", from, to: now, startedBy: "schedule" });
    result[source] = await runBackfill(pool, run.id);
  }
  return result;
}
