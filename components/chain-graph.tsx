/** The provenance chain of a receipt as a left-to-right picture: change → CI → gate → deploy. */
export function ChainGraph({ steps }: { steps: { label: string; detail: string; ok: boolean | null }[] }) {
  const box = 170;
  const gap = 36;
  const width = steps.length * box + (steps.length - 1) * gap;
  return (
    <svg width={width} height={78} role="img" aria-label={steps.map((s) => `${s.label}: ${s.detail}`).join(" → ")}>
      {steps.map((step, i) => {
        const x = i * (box + gap);
        const stroke = step.ok === null ? "#9aa3ad" : step.ok ? "#1f7a3f" : "#a3262c";
        return (
          <g key={step.label}>
            <rect x={x + 1} y={8} width={box - 2} height={60} rx={8} fill="#fff" stroke={stroke} strokeWidth={2} />
            <text x={x + 12} y={32} fontSize="13" fontWeight="600" fill="#1d232b">
              {step.label}
            </text>
            <text x={x + 12} y={52} fontSize="11" fill="#5d6673">
              {step.detail.length > 24 ? `${step.detail.slice(0, 23)}…` : step.detail}
            </text>
            {i < steps.length - 1 ? (
              <path d={`M${x + box + 4} 38 h${gap - 10} l-5 -5 m5 5 l-5 5`} stroke="#5d6673" fill="none" strokeWidth={1.5} />
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
