import "server-only";
import { getPool } from "@/lib/db";
import { productionEnvironments } from "@/lib/shared/production-environments";
import { getDeployReceipt } from "./get-deploy-receipt.ts";

export type TOverview = {
  days: number;
  recentDeploys: { id: string; environment: string; project: string | null; status: string | null; occurredAt: string; findings: number; findingCodes: string[] }[];
  waitingGates: { buildNumber: number; pipeline: string; label: string | null; commitSha: string | null; webUrl: string | null; since: string | null }[];
  ingest: { source: string; delivered: number; failed: number; rejected: number }[];
  perDay: { day: string; deploys: number; leadTimeMedianHours: number | null }[];
};

/** The overview: recent production deploys with findings, waiting gates, ingest health, deploy frequency and lead time. */
export async function getOverview(days: 30 | 90): Promise<TOverview> {
  const pool = getPool();
  // The recent deploys' receipts are most of the work: they start as soon as the ids are known.
  const receiptsPending = pool
    .query<{ id: string }>("SELECT id FROM deployment WHERE environment = ANY($1) ORDER BY occurred_at DESC, id DESC LIMIT 10", [productionEnvironments])
    .then((recent) => Promise.all(recent.rows.map((r) => getDeployReceipt(r.id))));
  const [receipts, gates, ingest, perDay] = await Promise.all([
    receiptsPending,
    pool.query<{ number: number; pipeline_slug: string; label: string | null; commit_sha: string | null; web_url: string | null; since: Date | null }>(
      `SELECT b.number, b.pipeline_slug, j.label, b.commit_sha, b.web_url, coalesce(b.finished_at, b.started_at) AS since
       FROM build_job j JOIN build b ON b.id = j.build_id
       WHERE j.type = 'manual' AND j.state = 'blocked' AND coalesce(b.state, '') NOT IN ('canceled', 'failed', 'skipped')
       ORDER BY since DESC NULLS LAST LIMIT 20`,
    ),
    pool.query<{ source: string; delivered: number; failed: number; rejected: number }>(
      `SELECT s.source,
         (SELECT count(*)::int FROM delivery d WHERE d.source::text = s.source AND d.received_at > now() - interval '24 hours') AS delivered,
         (SELECT count(*)::int FROM delivery d WHERE d.source::text = s.source AND d.processing_state IN ('failed', 'invalid') AND d.received_at > now() - interval '24 hours') AS failed,
         (SELECT coalesce(sum(count), 0)::int FROM ingest_rejection r WHERE r.source::text = s.source AND r.hour > now() - interval '24 hours') AS rejected
       FROM (VALUES ('gitlab'), ('buildkite')) AS s(source)`,
    ),
    pool.query<{ day: Date; deploys: number; lead: number | null }>(
      `SELECT date_trunc('day', d.occurred_at) AS day, count(DISTINCT d.id)::int AS deploys,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.occurred_at - m.merged_at) / 3600) AS lead
       FROM deployment d LEFT JOIN merge_request m ON m.merge_commit_sha = d.commit_sha AND m.merged_at IS NOT NULL
       WHERE d.environment = ANY($1) AND d.status = 'success' AND d.occurred_at > now() - make_interval(days => $2)
       GROUP BY 1 ORDER BY 1`,
      [productionEnvironments, days],
    ),
  ]);
  return {
    days,
    recentDeploys: receipts
      .filter((r) => r !== null)
      .map((r) => ({
        id: r.id,
        environment: r.environment,
        project: r.project,
        status: r.status,
        occurredAt: r.occurredAt,
        findings: r.findings.length,
        findingCodes: r.findings.map((f) => f.code),
      })),
    waitingGates: gates.rows.map((g) => ({ buildNumber: g.number, pipeline: g.pipeline_slug, label: g.label, commitSha: g.commit_sha, webUrl: g.web_url, since: g.since?.toISOString() ?? null })),
    ingest: ingest.rows,
    perDay: perDay.rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), deploys: r.deploys, leadTimeMedianHours: r.lead === null ? null : Math.round(r.lead * 10) / 10 })),
  };
}
