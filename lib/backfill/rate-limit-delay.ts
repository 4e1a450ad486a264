/** Longest Custody waits on one rate-limit answer before trying again. */
const MAX_WAIT_MS = 120_000;

function seconds(value: string | null): number | null {
  if (value === null || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * How long to wait before the next request, from a response's rate-limit headers. A 429 waits for
 * `Retry-After` or `RateLimit-Reset`; a 2xx waits only when `RateLimit-Remaining` is 0. `RateLimit-Reset`
 * is seconds until the window resets on Buildkite and a Unix time on GitLab: a value past 10^9 is read
 * as a time. Pure; never more than MAX_WAIT_MS.
 */
export function rateLimitDelay(status: number, headers: Headers, now = Date.now()): number {
  const reset = seconds(headers.get("ratelimit-reset"));
  const resetMs = reset === null ? null : reset > 1e9 ? reset * 1000 - now : reset * 1000;
  if (status === 429) {
    const retryAfter = seconds(headers.get("retry-after"));
    const wait = retryAfter !== null ? retryAfter * 1000 : (resetMs ?? 60_000);
    return Math.min(MAX_WAIT_MS, Math.max(wait, 250));
  }
  if (seconds(headers.get("ratelimit-remaining")) === 0 && resetMs !== null) return Math.min(MAX_WAIT_MS, Math.max(resetMs, 0));
  return 0;
}
