import { parseSourceDate } from "@/lib/shared/parse-source-date";

// Lenient readers for vendor payloads: wrong types become null instead of throwing, so an odd field
// never loses the rest of an authentic delivery.

export type TObj = Record<string, unknown>;

export function obj(value: unknown): TObj | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as TObj) : null;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

export function id(value: unknown): string | null {
  const s = str(value);
  return s === null || s === "" ? null : s;
}

export function int(value: unknown): number | null {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) return Number(value);
  return null;
}

export function bool(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

export function date(value: unknown): string | null {
  return parseSourceDate(value)?.toISOString() ?? null;
}

/** The latest of the given times (the version of a snapshot), or the fallback. */
export function latest(values: (string | null)[], fallback: string): string {
  const present = values.filter((v): v is string => v !== null).sort();
  return present.at(-1) ?? fallback;
}

/** GitLab hides emails it may not show as "[REDACTED]"; that is not an address. */
export function email(value: unknown): string | null {
  const s = str(value);
  return s && s.includes("@") && s !== "[REDACTED]" ? s : null;
}

export function compact<T extends TObj>(data: T): T {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== undefined)) as T;
}
