import "server-only";
import { getPool } from "@/lib/db";
import type { TBackfillList, TBackfillRun } from "@/lib/contracts/backfills";
import { getBackfillConfig } from "./get-backfill-config.ts";
import { toBackfillRun, type TBackfillRunRow } from "./to-backfill-run.ts";

const COLUMNS = "id, source, kind, window_from, window_to, state, cursor, requests, fetched, stored, gaps_found, total, started_by, error, created_at, finished_at";

/** The latest runs (newest first, at most 50) and which sources cannot be read; or one run by id. */
export async function findBackfillRuns(): Promise<TBackfillList>;
export async function findBackfillRuns(id: string): Promise<TBackfillRun | null>;
export async function findBackfillRuns(id?: string): Promise<TBackfillList | TBackfillRun | null> {
  const pool = getPool();
  if (id !== undefined) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const { rows } = await pool.query<TBackfillRunRow>(`SELECT ${COLUMNS} FROM backfill_run WHERE id = $1`, [id]);
    return rows[0] ? toBackfillRun(rows[0]) : null;
  }
  const { rows } = await pool.query<TBackfillRunRow>(`SELECT ${COLUMNS} FROM backfill_run ORDER BY created_at DESC, id DESC LIMIT 50`);
  const unavailable: Record<string, string> = {};
  for (const source of ["gitlab", "buildkite"] as const) {
    const config = getBackfillConfig(source);
    if (!config.ok) unavailable[source] = config.detail;
  }
  return { items: rows.map(toBackfillRun), unavailable };
}
