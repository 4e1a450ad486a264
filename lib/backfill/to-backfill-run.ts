import "server-only";
import type { TBackfillRun } from "@/lib/contracts/backfills";

export type TBackfillRunRow = {
  id: string;
  source: string;
  kind: string;
  window_from: Date;
  window_to: Date;
  state: string;
  cursor: Record<string, unknown>;
  requests: number;
  fetched: number;
  stored: number;
  gaps_found: number;
  total: number | null;
  started_by: string;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
};

/** A `backfill_run` row as the API shows it; progress counts the cursor's finished units. */
export function toBackfillRun(row: TBackfillRunRow): TBackfillRun {
  // Runs ended by earlier versions carry a "finished" marker in their cursor; it is not a unit of work.
  const units = Object.entries(row.cursor ?? {}).filter(([unit]) => unit !== "finished");
  return {
    id: row.id,
    source: row.source as TBackfillRun["source"],
    kind: row.kind as TBackfillRun["kind"],
    windowFrom: row.window_from.toISOString(),
    windowTo: row.window_to.toISOString(),
    state: row.state as TBackfillRun["state"],
    unitsDone: units.filter(([, next]) => next === "done").length,
    unitsTotal: row.total,
    requests: row.requests,
    fetched: row.fetched,
    stored: row.stored,
    gapsFound: row.gaps_found,
    startedBy: row.started_by,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
