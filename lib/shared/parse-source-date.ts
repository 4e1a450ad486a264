// ISO 8601 as GitLab (after !233400, commit timestamps, *_iso fields) and Buildkite send it.
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
// Ruby `Time#to_s`, which older GitLab deliveries carry: "2026-09-14 09:14:27 UTC" or "… +0200".
const RUBY = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (UTC|[+-]\d{4})$/;
// Date-only fields (token `expires_at`, milestone `due_date`), read as UTC midnight.
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

// Beyond this, `Date` holds an invalid time value.
const MAX_EPOCH_MS = 8.64e15;

function offsetMinutes(zone: string): number | null {
  if (zone === "Z" || zone === "UTC") return 0;
  const digits = zone.replace(":", "");
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 23 || minutes > 59) return null;
  return (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}

function build(
  fields: { year: string; month: string; day: string; hour?: string; minute?: string; second?: string },
  fraction: string | undefined,
  zone: string,
): Date | null {
  const year = Number(fields.year);
  const month = Number(fields.month);
  const day = Number(fields.day);
  const hour = Number(fields.hour ?? "0");
  const minute = Number(fields.minute ?? "0");
  const second = Number(fields.second ?? "0");
  const offset = offsetMinutes(zone);
  if (offset === null || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;

  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null; // e.g. 2026-02-30
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, "0"));
  date.setUTCHours(hour, minute, second, millis);
  date.setTime(date.getTime() - offset * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Reads a timestamp in any format GitLab or Buildkite sends: ISO 8601 with or without fractional
 * seconds and with `Z` or `±HH:MM`; `YYYY-MM-DD HH:MM:SS UTC` and `… ±HHMM`; `YYYY-MM-DD` (UTC
 * midnight); and numbers as unix seconds. Anything else, including impossible calendar dates and
 * digit strings, gives null, never an Invalid Date. Fractions beyond milliseconds are truncated.
 */
export function parseSourceDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : new Date(value.getTime());
  if (typeof value === "number") {
    const millis = Math.round(value * 1000);
    return Number.isFinite(millis) && Math.abs(millis) <= MAX_EPOCH_MS ? new Date(millis) : null;
  }
  if (typeof value !== "string") return null;
  const text = value.trim();

  const iso = ISO.exec(text);
  if (iso) {
    const [, year = "", month = "", day = "", hour, minute, second, fraction, zone = ""] = iso;
    return build({ year, month, day, hour, minute, second }, fraction, zone);
  }
  const ruby = RUBY.exec(text);
  if (ruby) {
    const [, year = "", month = "", day = "", hour, minute, second, zone = ""] = ruby;
    return build({ year, month, day, hour, minute, second }, undefined, zone);
  }
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [, year = "", month = "", day = ""] = dateOnly;
    return build({ year, month, day }, undefined, "Z");
  }
  return null;
}
