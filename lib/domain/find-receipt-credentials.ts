import "server-only";
import { getPool } from "@/lib/db";
import type { TDeployReceipt } from "@/lib/contracts/deployments";

type TCredentialRow = {
  key: string;
  kind: string;
  provider: string | null;
  issuer: string;
  subject: string;
  audience: string | null;
  issued_at: Date;
  expires_at: Date;
  job_external_id: string | null;
  ref: string | null;
};
type TSessionRow = {
  event_id: string;
  role_arn: string | null;
  session_name: string | null;
  subject: string | null;
  source_ip: string | null;
  issued_at: Date;
  expires_at: Date | null;
  job_external_id: string | null;
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * The credentials the receipt's jobs held: OIDC credentials by job id, and AWS role sessions joined
 * to them by job (`buildkite-job-<id>` session names) or by OIDC subject. A role session with no
 * credential of its own is listed by itself.
 */
export async function findReceiptCredentials(
  buildkiteJobIds: string[],
  gitlabJobIds: string[],
): Promise<{ credentials: TDeployReceipt["credentials"]; evidenceKeys: string[] }> {
  if (!buildkiteJobIds.length && !gitlabJobIds.length) return { credentials: [], evidenceKeys: [] };
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
  const used = new Set<string>();
  const result: TDeployReceipt["credentials"] = credentials.map((c) => {
    const session =
      sessions.find((s) => !used.has(s.event_id) && s.job_external_id && s.job_external_id === c.job_external_id) ??
      sessions.find((s) => !used.has(s.event_id) && s.subject === c.subject && s.issued_at >= c.issued_at && s.issued_at <= c.expires_at);
    if (session) used.add(session.event_id);
    return {
      kind: c.kind,
      issuer: c.issuer,
      subject: c.subject,
      audience: c.audience,
      issuedAt: iso(c.issued_at),
      expiresAt: iso(c.expires_at),
      lifetimeSeconds: Math.round((c.expires_at.getTime() - c.issued_at.getTime()) / 1000),
      jobId: c.job_external_id,
      ref: c.ref,
      roleSession: session
        ? { roleArn: session.role_arn, sessionName: session.session_name, issuedAt: iso(session.issued_at), expiresAt: iso(session.expires_at), sourceIp: session.source_ip }
        : null,
    };
  });
  for (const s of sessions) {
    if (used.has(s.event_id)) continue;
    result.push({
      kind: "aws-role-session",
      issuer: null,
      subject: s.subject,
      audience: null,
      issuedAt: iso(s.issued_at),
      expiresAt: iso(s.expires_at),
      lifetimeSeconds: s.expires_at ? Math.round((s.expires_at.getTime() - s.issued_at.getTime()) / 1000) : null,
      jobId: s.job_external_id,
      ref: null,
      roleSession: { roleArn: s.role_arn, sessionName: s.session_name, issuedAt: iso(s.issued_at), expiresAt: iso(s.expires_at), sourceIp: s.source_ip },
    });
  }
  return { credentials: result, evidenceKeys: [...credentials.map((c) => c.key), ...sessions.map((s) => `role-session:aws:${s.event_id}`)] };
}
