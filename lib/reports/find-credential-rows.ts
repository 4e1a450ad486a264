import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { TCredentialRow, TReportQuery } from "@/lib/contracts/reports";
import { checkCredential } from "./check-credential.ts";

type TRow = {
  kind: string;
  key: string;
  environment: string | null;
  person: string | null;
  subject: string | null;
  audience: string | null;
  issued_at: Date;
  expires_at: Date | null;
  job_external_id: string | null;
  ref: string | null;
  role_arn: string | null;
  source_ip: string | null;
  error_code: string | null;
};

/**
 * Short-lived credentials (OIDC tokens CI jobs held) and AWS role sessions issued in [from, to),
 * oldest first, keyset-paged on (issued_at, key). A role session takes its environment and person
 * from the credential of the same job or subject. The person is the GitLab login, or the Buildkite
 * build's author e-mail. Each kind is keyset-paged on its own index before the two are merged,
 * so a batch costs the same at the end of a long period as at its start.
 */
export async function* findCredentialRows(
  query: Pick<TReportQuery, "from" | "to" | "environment">,
  options: { batchSize?: number; pool?: pg.Pool } = {},
): AsyncGenerator<TCredentialRow> {
  const pool = options.pool ?? getPool();
  const batchSize = options.batchSize ?? 1000;
  const env = getEnv();
  const policy = { maxLifetimeSeconds: env.CUSTODY_CREDENTIAL_MAX_LIFETIME, allowedAudiences: env.CUSTODY_CREDENTIAL_AUDIENCES };
  let after: { at: Date; key: string } | null = null;
  for (;;) {
    const params: unknown[] = [query.from, query.to, query.environment, batchSize];
    if (after) params.push(after.at, after.key);
    const { rows }: { rows: TRow[] } = await pool.query<TRow>(
      `SELECT * FROM (
         (SELECT c.kind, c.key, c.environment, coalesce(c.user_login, b.author_email) AS person, c.subject, c.audience, c.issued_at, c.expires_at,
                 c.job_external_id, c.ref, NULL::text AS role_arn, NULL::text AS source_ip, NULL::text AS error_code
          FROM credential c
          LEFT JOIN build_job bj ON c.provider = 'buildkite' AND bj.external_id = c.job_external_id LEFT JOIN build b ON b.id = bj.build_id
          WHERE c.issued_at >= $1 AND c.issued_at < $2 AND (cardinality($3::text[]) = 0 OR c.environment = ANY($3::text[])) ${after ? "AND c.issued_at >= $5 AND (c.issued_at, c.key) > ($5, $6)" : ""}
          ORDER BY c.issued_at, c.key LIMIT $4)
         UNION ALL
         (SELECT 'aws-role-session', 'role-session:aws:' || r.event_id, m.environment, m.person, r.subject, r.audience, r.issued_at, r.expires_at,
                 r.job_external_id, m.ref, r.role_arn, r.source_ip, r.error_code
          FROM role_session r
          LEFT JOIN LATERAL (
            SELECT c.environment, coalesce(c.user_login, b.author_email) AS person, c.ref FROM credential c
            LEFT JOIN build_job bj ON c.provider = 'buildkite' AND bj.external_id = c.job_external_id LEFT JOIN build b ON b.id = bj.build_id
            WHERE (r.job_external_id IS NOT NULL AND c.job_external_id = r.job_external_id) OR (r.subject IS NOT NULL AND c.subject = r.subject)
            ORDER BY (c.job_external_id = r.job_external_id) DESC NULLS LAST, c.issued_at DESC LIMIT 1
          ) m ON true
          WHERE r.issued_at >= $1 AND r.issued_at < $2 AND (cardinality($3::text[]) = 0 OR m.environment = ANY($3::text[]))
            ${after ? "AND r.issued_at >= $5 AND (r.issued_at, 'role-session:aws:' || r.event_id) > ($5, $6)" : ""}
          ORDER BY r.issued_at, 'role-session:aws:' || r.event_id LIMIT $4)
       ) x
       ORDER BY x.issued_at, x.key LIMIT $4`,
      params,
    );
    for (const r of rows) {
      const row: Omit<TCredentialRow, "findings"> = {
        kind: r.kind,
        key: r.key,
        environment: r.environment,
        person: r.person,
        subject: r.subject,
        audience: r.audience,
        issuedAt: r.issued_at.toISOString(),
        expiresAt: r.expires_at?.toISOString() ?? null,
        lifetimeSeconds: r.expires_at ? Math.round((r.expires_at.getTime() - r.issued_at.getTime()) / 1000) : null,
        jobId: r.job_external_id,
        ref: r.ref,
        roleArn: r.role_arn,
        sourceIp: r.source_ip,
      };
      yield { ...row, findings: checkCredential({ ...row, errorCode: r.error_code }, policy) };
    }
    if (rows.length < batchSize) return;
    after = { at: rows.at(-1)!.issued_at, key: rows.at(-1)!.key };
  }
}
