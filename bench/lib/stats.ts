// Small numeric helpers for the ingest benchmark: nearest-rank percentiles and rounding.

export type TSummary = { n: number; min: number; p50: number; p90: number; p95: number; p99: number; max: number; mean: number };

/** Nearest-rank percentile of an ascending array (q in 0..1). Infinity entries stand for "never seen". */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summarize(values: readonly number[]): TSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const finite = sorted.filter(Number.isFinite);
  const mean = finite.length ? finite.reduce((sum, v) => sum + v, 0) / finite.length : Number.NaN;
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(mean),
  };
}

export function round(value: number, digits = 1): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Wall-clock milliseconds since the epoch with sub-millisecond resolution (comparable to Postgres now()). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
