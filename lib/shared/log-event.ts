const MAX_FIELD = 2048;

function clip(value: unknown): unknown {
  if (typeof value === "string" && value.length > MAX_FIELD) return `${value.slice(0, MAX_FIELD)}…[truncated]`;
  return value;
}

/**
 * One JSON object per line on stderr. JSON escapes CR/LF, so a hostile branch name or title cannot
 * forge log lines; long fields are clipped.
 */
export function logEvent(level: "debug" | "info" | "warn" | "error", event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, clip(v)])) });
  process.stderr.write(`${line}\n`);
}
