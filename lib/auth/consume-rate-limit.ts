import "server-only";
import { getPool } from "@/lib/db";

/**
 * Counts one event against `key` in a fixed window of `windowSeconds` and says whether it is within
 * `limit`. Counters live in Postgres, so every instance shares them and they survive restarts. When
 * refused, `retryAfterSeconds` is the time until the window ends.
 */
export async function consumeRateLimit(key: string, limit: number, windowSeconds = 60): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const { rows } = await getPool().query<{ count: number; retry_after: number }>(
    `INSERT INTO rate_limit (key, window_start, count) VALUES ($1, now(), 1)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN rate_limit.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE rate_limit.count + 1 END,
       window_start = CASE WHEN rate_limit.window_start <= now() - make_interval(secs => $2) THEN now() ELSE rate_limit.window_start END
     RETURNING count, GREATEST(1, CEIL(EXTRACT(EPOCH FROM (window_start + make_interval(secs => $2) - now()))))::int AS retry_after`,
    [key.slice(0, 200), windowSeconds],
  );
  // Old windows are dead weight; trim them now and then rather than on every call.
  if (Math.random() < 0.01) void getPool().query("DELETE FROM rate_limit WHERE window_start < now() - interval '1 day'").catch(() => {});
  const row = rows[0]!;
  return { allowed: row.count <= limit, retryAfterSeconds: row.retry_after };
}
