/** Production deploys per day (bars) and median merge-to-production lead time (dots), server-rendered SVG. */
export function DeployFrequencyChart({ days, points }: { days: number; points: { day: string; deploys: number; leadTimeMedianHours: number | null }[] }) {
  const width = 720;
  const height = 160;
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const series = Array.from({ length: days }, (_, i) => {
    const day = new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return points.find((p) => p.day === day) ?? { day, deploys: 0, leadTimeMedianHours: null };
  });
  const maxDeploys = Math.max(1, ...series.map((s) => s.deploys));
  const maxLead = Math.max(1, ...series.map((s) => s.leadTimeMedianHours ?? 0));
  const step = width / days;
  const total = series.reduce((sum, s) => sum + s.deploys, 0);
  const leads = series.map((s) => s.leadTimeMedianHours).filter((v): v is number => v !== null);
  return (
    <figure style={{ margin: 0 }}>
      <svg width={width} height={height + 20} role="img" aria-label={`${total} production deploys in ${days} days`}>
        {series.map((s, i) => {
          const h = Math.round((s.deploys / maxDeploys) * (height - 10));
          return (
            <g key={s.day}>
              <rect x={i * step + 1} y={height - h} width={Math.max(1, step - 2)} height={h} fill="#23507a" opacity={0.8}>
                <title>{`${s.day}: ${s.deploys} deploy(s)${s.leadTimeMedianHours !== null ? `, median lead time ${s.leadTimeMedianHours} h` : ""}`}</title>
              </rect>
              {s.leadTimeMedianHours !== null ? (
                <circle cx={i * step + step / 2} cy={height - (s.leadTimeMedianHours / maxLead) * (height - 10)} r={3} fill="#9a6200" />
              ) : null}
            </g>
          );
        })}
        <line x1={0} y1={height} x2={width} y2={height} stroke="#dfe2e6" />
        <text x={0} y={height + 14} fontSize="11" fill="#5d6673">
          {series[0]?.day}
        </text>
        <text x={width} y={height + 14} fontSize="11" fill="#5d6673" textAnchor="end">
          today
        </text>
      </svg>
      <figcaption className="empty">
        Bars: production deploys per day ({total} in {days} days). Dots: median lead time from merge to production
        {leads.length ? ` (overall median ${leads.sort((a, b) => a - b)[Math.floor(leads.length / 2)]} h)` : " (no merged changes deployed in this period)"}.
      </figcaption>
    </figure>
  );
}
