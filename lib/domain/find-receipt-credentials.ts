import "server-only";
import { getPool } from "@/lib/db";
import type { TDeployReceipt } from "@/lib/contracts/deployments";
import { buildReceiptCredentials, type TCredentialRow, type TSessionRow } from "./build-receipt-credentials.ts";


/**
 * The credentials the receipt's jobs held: OIDC credentials by job id, and AWS role sessions joined
 * to them by job (`buildkite-job-<id>` session names) or by OIDC subject. A role session with no
 * credential of its own is listed by itself.
 */
export async function findReceiptCredentials(
  buildkiteJobIds: string[],
  gitlabJobIds: string[],
): Promise<TDeployReceipt["credentials"]> {
  if (!buildkiteJobIds.length && !gitlabJobIds.length) return [];
  const pool = getPool();
  const { rows: credentials } = await pool.query<TCredentialRow>(
    `SELECT key, kind, provider, issuer, subject, audience, issued_at, expires_at, job_external_id, ref FROM credential
     WHERE (provider = 'buildkite' AND job_external_id = ANY($1::text[])) OR (provider = 'gitlab' AND job_external_id = ANY($2::text[]))
     ORDER BY issued_at, key`,
    [buildkiteJobIds, gitlabJobIds],
  );
  const subjects = [...new Set(credentials.map((c) => c.subject))];
  const { rows: sessions } = await pool.query<TSessionRow>(
    `SELECT event_id, role_arn, session_name, subject, source_ip, issued_at, expires_at, job_external_id FROM role_session
     WHERE job_external_id = ANY($1::text[]) OR subject = ANY($2::text[]) ORDER BY issued_at, event_id`,
    [buildkiteJobIds, subjects],
  );
  return buildReceiptCredentials(credentials, sessions);
}
