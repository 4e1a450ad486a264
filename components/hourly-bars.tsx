/** Deliveries per hour over the last 24 h, one small bar chart per source (server-rendered SVG). */
export function HourlyBars({ points, label }: { points: { hour: string; count: number }[]; label: string }) {
  const now = Date.now();
  const hours = Array.from({ length: 24 }, (_, i) => {
    const start = new Date(Math.floor(now / 3_600_000) * 3_600_000 - (23 - i) * 3_600_000).toISOString();
    return points.find((p) => p.hour === start)?.count ?? 0;
  });
  const max = Math.max(1, ...hours);
  const width = 240;
  const height = 48;
  const bar = width / 24;
  return (
    <svg width={width} height={height + 14} role="img" aria-label={`${label}: ${hours.reduce((a, b) => a + b, 0)} deliveries in 24 hours, peak ${max} per hour`}>
      {hours.map((count, i) => {
        const h = Math.round((count / max) * height);
        return <rect key={i} x={i * bar + 1} y={height - h} width={bar - 2} height={h} fill="#23507a" opacity={count ? 0.85 : 0.15} />;
      })}
      <text x={0} y={height + 12} fontSize="10" fill="#5d6673">
        24 h ago
      </text>
      <text x={width} y={height + 12} fontSize="10" fill="#5d6673" textAnchor="end">
        now
      </text>
    </svg>
  );
}
