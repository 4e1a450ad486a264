import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db";
import type { TCompletenessRow, TReportQuery } from "@/lib/contracts/reports";
import type { TCompletenessGaps } from "./find-completeness-gaps.ts";

const sources = ["gitlab", "buildkite", "credentials"] as const;
/** A delivery counts as late when it arrived more than this after the earliest event time it carries. */
const LATE_AFTER_SECONDS = 3600;

type TDayRow = {
  source: string;
  day: string;
  deliveries: number;
  processed: number;
  ignored: number;
  pending: number;
  failed: number;
  invalid: number;
  late: number;
  backfilled: number;
  hours: number[];
};

/**
 * Deliveries per source and UTC day in [from, to): how many, in which processing state, how many
 * arrived late (over an hour after their event) or by backfill, the gaps reconciliation found and
 * filled that day (passed in as `gaps`), which hours of the day had none,
 * and the requests refused at the door (ingest_rejection) by reason. Every day of the period is a
 * row for every source, so a day with nothing shows as zero. At most 400 days × 3 sources.
 */
export async function* findCompletenessRows(
  query: Pick<TReportQuery, "from" | "to">,
  options: { pool?: pg.Pool; now?: Date; gaps?: TCompletenessGaps["byDay"] } = {},
): AsyncGenerator<TCompletenessRow> {
  const pool = options.pool ?? getPool();
  const from = new Date(query.from);
  const to = new Date(query.to);
  const now = options.now ?? new Date();
  const [{ rows: days }, { rows: rejections }] = await Promise.all([
    pool.query<TDayRow>(
      `SELECT d.source::text AS source, to_char(d.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS deliveries,
              count(*) FILTER (WHERE d.processing_state = 'processed')::int AS processed,
              count(*) FILTER (WHERE d.processing_state = 'ignored')::int AS ignored,
              count(*) FILTER (WHERE d.processing_state IN ('received', 'pending'))::int AS pending,
              count(*) FILTER (WHERE d.processing_state = 'failed')::int AS failed,
              count(*) FILTER (WHERE d.processing_state = 'invalid')::int AS invalid,
              count(*) FILTER (WHERE d.received_at - (SELECT min(f.at) FROM fact f WHERE f.delivery_id = d.id) > make_interval(secs => $3))::int AS late,
              count(*) FILTER (WHERE d.origin = 'api')::int AS backfilled,
              array_agg(DISTINCT extract(hour FROM d.received_at AT TIME ZONE 'UTC')::int) AS hours
       FROM delivery d WHERE d.received_at >= $1 AND d.received_at < $2
       GROUP BY 1, 2`,
      [from, to, LATE_AFTER_SECONDS],
    ),
    pool.query<{ source: string; day: string; reason: string; count: number }>(
      `SELECT source::text AS source, to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, reason, sum(count)::int AS count
       FROM ingest_rejection WHERE hour >= date_trunc('hour', $1::timestamptz) AND hour < $2 GROUP BY 1, 2, 3`,
      [from, to],
    ),
  ]);
  const byKey = new Map(days.map((r) => [`${r.source}:${r.day}`, r]));
  const rejectedByKey = new Map<string, Record<string, number>>();
  for (const r of rejections) {
    const key = `${r.source}:${r.day}`;
    rejectedByKey.set(key, { ...rejectedByKey.get(key), [r.reason]: r.count });
  }
  const firstDay = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let dayStart = firstDay; dayStart < to.getTime(); dayStart += 86_400_000) {
    const day = new Date(dayStart).toISOString().slice(0, 10);
    for (const source of sources) {
      const r = byKey.get(`${source}:${day}`);
      const reasons = rejectedByKey.get(`${source}:${day}`) ?? {};
      const seen = new Set(r?.hours ?? []);
      const hoursWithoutDeliveries: number[] = [];
      for (let h = 0; h < 24; h += 1) {
        const start = dayStart + h * 3_600_000;
        if (start + 3_600_000 <= from.getTime() || start >= to.getTime() || start >= now.getTime()) continue;
        if (!seen.has(h)) hoursWithoutDeliveries.push(h);
      }
      yield {
        source,
        day,
        deliveries: r?.deliveries ?? 0,
        processed: r?.processed ?? 0,
        ignored: r?.ignored ?? 0,
        pending: r?.pending ?? 0,
        failed: r?.failed ?? 0,
        invalid: r?.invalid ?? 0,
        lateArrivals: r?.late ?? 0,
        backfilled: r?.backfilled ?? 0,
        gapsFound: options.gaps?.get(`${source}:${day}`)?.found ?? 0,
        gapsFilled: options.gaps?.get(`${source}:${day}`)?.filled ?? 0,
        rejected: Object.values(reasons).reduce((a, b) => a + b, 0),
        rejectedReasons: reasons,
        hoursWithoutDeliveries,
      };
    }
  }
}
