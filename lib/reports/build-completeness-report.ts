import "server-only";
import type { TCompletenessRow, TReportQuery } from "@/lib/contracts/reports";
import { findCompletenessGaps, type TCompletenessGaps } from "./find-completeness-gaps.ts";
import { findCompletenessRows } from "./find-completeness-rows.ts";
import type { TReport } from "./report-types.ts";

/**
 * Ingest completeness per source and day, with totals, the days on which a source sent nothing, and a
 * reconciliation section: the backfill and scheduled runs, and each gap they filled (what a vendor's
 * API reported that no webhook had delivered, with the API delivery that is now its evidence).
 */
export function buildCompletenessReport(query: TReportQuery, options: { now?: Date } = {}): TReport<TCompletenessRow> {
  const totals: Record<string, { deliveries: number; failed: number; invalid: number; pending: number; lateArrivals: number; backfilled: number; gapsFound: number; gapsFilled: number; rejected: number; daysWithoutDeliveries: string[] }> = {};
  let gaps: TCompletenessGaps | null = null;
  async function* rows() {
    gaps = await findCompletenessGaps(query);
    for await (const row of findCompletenessRows(query, { ...options, gaps: gaps.byDay })) {
      const t = (totals[row.source] ??= { deliveries: 0, failed: 0, invalid: 0, pending: 0, lateArrivals: 0, backfilled: 0, gapsFound: 0, gapsFilled: 0, rejected: 0, daysWithoutDeliveries: [] });
      t.deliveries += row.deliveries;
      t.failed += row.failed;
      t.invalid += row.invalid;
      t.pending += row.pending;
      t.lateArrivals += row.lateArrivals;
      t.backfilled += row.backfilled;
      t.gapsFound += row.gapsFound;
      t.gapsFilled += row.gapsFilled;
      t.rejected += row.rejected;
      if (!row.deliveries) t.daysWithoutDeliveries.push(row.day);
      yield row;
    }
  }
  return {
    name: "completeness",
    title: "Ingest completeness",
    query,
    columns: [
      { key: "day", label: "Day (UTC)", value: (r) => r.day, weight: 1.2 },
      { key: "source", label: "Source", value: (r) => r.source, weight: 1 },
      { key: "deliveries", label: "Deliveries", value: (r) => r.deliveries, weight: 0.9 },
      { key: "processed", label: "Processed", value: (r) => r.processed, weight: 0.9 },
      { key: "ignored", label: "Ignored", value: (r) => r.ignored, weight: 0.8 },
      { key: "pending", label: "Pending", value: (r) => r.pending, weight: 0.8 },
      { key: "failed", label: "Failed", value: (r) => r.failed, weight: 0.7 },
      { key: "invalid", label: "Invalid", value: (r) => r.invalid, weight: 0.7 },
      { key: "late_arrivals", label: "Late", value: (r) => r.lateArrivals, weight: 0.6 },
      { key: "backfilled", label: "Backfilled", value: (r) => r.backfilled, weight: 0.8 },
      { key: "gaps_found", label: "Gaps found", value: (r) => r.gapsFound, weight: 0.7 },
      { key: "gaps_filled", label: "Gaps filled", value: (r) => r.gapsFilled, weight: 0.7 },
      { key: "rejected", label: "Rejected", value: (r) => r.rejected, weight: 0.8 },
      { key: "rejected_reasons", label: "Rejected by reason", value: (r) => Object.entries(r.rejectedReasons).map(([k, v]) => `${k}: ${v}`).join("; "), weight: 1.6 },
      { key: "hours_without_deliveries", label: "Hours without deliveries (UTC)", value: (r) => r.hoursWithoutDeliveries.join(" "), weight: 2.4 },
    ],
    rows: rows(),
    summary: () => {
      const g = gaps as TCompletenessGaps | null;
      return {
        bySource: totals,
        reconciliation: {
          runs: g?.runs ?? {},
          gapsFilled: g?.listed ?? [],
          ...(g && g.total > g.listed.length ? { gapsNotListed: `${g.total - g.listed.length} more; narrow the period to list them` } : {}),
        },
        note:
          "Late: received over an hour after the event it carries. Backfilled: read from the vendor's API (origin api). Gaps: what the API reported that no webhook had delivered, filled by that API delivery. Rejected: refused before storage (bad signature, stale, oversized, not JSON).",
      };
    },
  };
}
