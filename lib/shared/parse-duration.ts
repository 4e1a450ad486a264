const unitSeconds = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** Seconds in a duration like 45s, 30m, 12h or 90d; null for anything else. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * unitSeconds[match[2] as keyof typeof unitSeconds];
}
