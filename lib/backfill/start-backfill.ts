import "server-only";
import type pg from "pg";
import type { TBackfillSource } from "./get-backfill-config.ts";

export type TStartBackfillInput = { source: TBackfillSource; kind: "backfill" | "reconcile"; from: Date; to: Date | null; startedBy: string };

/**
 * Creates a run for a window, or returns the unfinished run of the same source and window so that
 * asking again continues it (`resumed: true`) instead of reading everything twice. Without an end
 * (`to: null`, "until now") any unfinished run from the same start matches; a new one ends now.
 */
export async function startBackfill(pool: pg.Pool, input: TStartBackfillInput): Promise<{ id: string; resumed: boolean }> {
  const { rows: open } = await pool.query<{ id: string }>(
    `SELECT id FROM backfill_run WHERE source = $1 AND kind = $2 AND window_from = $3 AND ($4::timestamptz IS NULL OR window_to = $4) AND state <> 'done'
     ORDER BY created_at LIMIT 1`,
    [input.source, input.kind, input.from, input.to],
  );
  if (open[0]) return { id: open[0].id, resumed: true };
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO backfill_run (id, source, kind, window_from, window_to, started_by) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING id`,
    [input.source, input.kind, input.from, input.to ?? new Date(), input.startedBy],
  );
  return { id: rows[0]!.id, resumed: false };
}
