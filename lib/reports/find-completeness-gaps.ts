import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db";
import type { TReportQuery } from "@/lib/contracts/reports";

/** At most this many gaps are listed one by one; the per-day counts always cover all of them. */
export const COMPLETENESS_GAPS_LISTED = 200;

export type TCompletenessGaps = {
  /** `${source}:${day}` → gaps found that day, and how many of them are filled. */
  byDay: Map<string, { found: number; filled: number }>;
  /** Each gap filled in the period, oldest first: what the API told that no webhook had. */
  listed: string[];
  total: number;
  runs: Record<string, { backfill: number; reconcile: number; failed: number; requests: number; objectsRead: number }>;
};

/**
 * The reconciliation side of completeness for [from, to): gaps found per source and UTC day (an
 * object, or a state of it, the vendor's API reported and no webhook had delivered), the gaps
 * themselves with the API delivery that filled each, and the backfill and reconciliation runs.
 */
export async function findCompletenessGaps(query: Pick<TReportQuery, "from" | "to">, options: { pool?: pg.Pool } = {}): Promise<TCompletenessGaps> {
  const pool = options.pool ?? getPool();
  const from = new Date(query.from);
  const to = new Date(query.to);
  const [{ rows: days }, { rows: gaps }, { rows: runs }] = await Promise.all([
    pool.query<{ source: string; day: string; found: number; filled: number }>(
      `SELECT source::text AS source, to_char(found_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS found, count(filled_at)::int AS filled
       FROM reconciliation_gap WHERE found_at >= $1 AND found_at < $2 GROUP BY 1, 2`,
      [from, to],
    ),
    pool.query<{ source: string; object_kind: string; external_id: string; api_state: string; found_at: Date; filled_at: Date | null; delivery_id: string | null; total: number }>(
      `SELECT source::text AS source, object_kind, external_id, api_state, found_at, filled_at, delivery_id, count(*) OVER ()::int AS total
       FROM reconciliation_gap WHERE found_at >= $1 AND found_at < $2 ORDER BY found_at, id LIMIT $3`,
      [from, to, COMPLETENESS_GAPS_LISTED],
    ),
    pool.query<{ source: string; kind: string; runs: number; failed: number; requests: number; fetched: number }>(
      `SELECT source::text AS source, kind, count(*)::int AS runs, count(*) FILTER (WHERE state = 'failed')::int AS failed,
              sum(requests)::int AS requests, sum(fetched)::int AS fetched
       FROM backfill_run WHERE created_at >= $1 AND created_at < $2 GROUP BY 1, 2`,
      [from, to],
    ),
  ]);
  const byDay = new Map(days.map((d) => [`${d.source}:${d.day}`, { found: d.found, filled: d.filled }]));
  const listed = gaps.map(
    (g) =>
      `${g.found_at.toISOString()} ${g.source} ${g.object_kind} ${g.external_id}${g.api_state ? ` (${g.api_state})` : ""} ${g.filled_at ? `filled by delivery ${g.delivery_id}` : "not filled"}`,
  );
  const summary: TCompletenessGaps["runs"] = {};
  for (const r of runs) {
    const s = (summary[r.source] ??= { backfill: 0, reconcile: 0, failed: 0, requests: 0, objectsRead: 0 });
    if (r.kind === "reconcile") s.reconcile += r.runs;
    else s.backfill += r.runs;
    s.failed += r.failed;
    s.requests += r.requests;
    s.objectsRead += r.fetched;
  }
  return { byDay, listed, total: gaps[0]?.total ?? 0, runs: summary };
}
