import "server-only";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";

export type TIngestStatus = {
  sources: { source: "gitlab" | "buildkite"; configured: string[]; refusingBecause: string | null }[];
  perSource: { source: string; state: string; count: number }[];
  hourly: { source: string; hour: string; count: number }[];
  rejections: { source: string; reason: string; count: number; lastAt: string }[];
  problems: { id: string; source: string; eventType: string; state: string; error: string | null; receivedAt: string; attempts: number }[];
  backlog: number;
};

/** What the Ingest page shows: configuration, deliveries and refusals of the last 24 h, and problem deliveries. */
export async function getIngestStatus(): Promise<TIngestStatus> {
  const env = getEnv();
  const pool = getPool();
  const gitlab = [
    ...(env.GITLAB_WEBHOOK_SECRET.length ? ["secret token (X-Gitlab-Token)"] : []),
    ...(env.GITLAB_WEBHOOK_SIGNING_TOKEN.length ? ["signing token (webhook-signature)"] : []),
  ];
  const buildkite = [
    ...(env.BUILDKITE_WEBHOOK_SIGNING_SECRET.length ? ["signature (X-Buildkite-Signature)"] : []),
    ...(env.BUILDKITE_WEBHOOK_TOKEN.length ? ["token (X-Buildkite-Token)"] : []),
  ];
  const [perSource, hourly, rejections, problems, backlog] = await Promise.all([
    pool.query<{ source: string; state: string; count: number }>(
      `SELECT source::text, processing_state::text AS state, count(*)::int AS count FROM delivery
       WHERE received_at > now() - interval '24 hours' GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    pool.query<{ source: string; hour: Date; count: number }>(
      `SELECT source::text, date_trunc('hour', received_at) AS hour, count(*)::int AS count FROM delivery
       WHERE received_at > now() - interval '24 hours' GROUP BY 1, 2 ORDER BY 2`,
    ),
    pool.query<{ source: string; reason: string; count: number; last_at: Date }>(
      `SELECT source::text, reason, sum(count)::int AS count, max(last_at) AS last_at FROM ingest_rejection
       WHERE hour > now() - interval '24 hours' GROUP BY 1, 2 ORDER BY 3 DESC`,
    ),
    pool.query<{ id: string; source: string; event_type: string; state: string; processing_error: string | null; received_at: Date; attempts: number }>(
      `SELECT id, source::text, event_type, processing_state::text AS state, processing_error, received_at, attempts FROM delivery
       WHERE processing_state IN ('failed', 'invalid') ORDER BY received_at DESC, id DESC LIMIT 50`,
    ),
    pool.query<{ count: number }>("SELECT count(*)::int AS count FROM delivery WHERE processing_state IN ('received', 'pending')"),
  ]);
  return {
    sources: [
      { source: "gitlab", configured: gitlab, refusingBecause: gitlab.length ? null : "GITLAB_WEBHOOK_SECRET and GITLAB_WEBHOOK_SIGNING_TOKEN are not set" },
      { source: "buildkite", configured: buildkite, refusingBecause: buildkite.length ? null : "BUILDKITE_WEBHOOK_SIGNING_SECRET and BUILDKITE_WEBHOOK_TOKEN are not set" },
    ],
    perSource: perSource.rows,
    hourly: hourly.rows.map((r) => ({ source: r.source, hour: r.hour.toISOString(), count: r.count })),
    rejections: rejections.rows.map((r) => ({ source: r.source, reason: r.reason, count: r.count, lastAt: r.last_at.toISOString() })),
    problems: problems.rows.map((r) => ({
      id: r.id,
      source: r.source,
      eventType: r.event_type,
      state: r.state,
      error: r.processing_error,
      receivedAt: r.received_at.toISOString(),
      attempts: r.attempts,
    })),
    backlog: backlog.rows[0]?.count ?? 0,
  };
}
