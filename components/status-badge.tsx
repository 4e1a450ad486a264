const good = new Set(["success", "passed", "merged", "unblocked", "approved"]);
const bad = new Set(["failed", "canceled", "timed_out", "broken", "expired"]);

export function StatusBadge({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="badge">unknown</span>;
  const tone = good.has(value) ? "ok" : bad.has(value) ? "bad" : "warn";
  return <span className={`badge ${tone}`}>{value.replaceAll("_", " ")}</span>;
}
