import type { TDeployReceipt } from "@/lib/contracts/deployments";

export type TCredentialRow = {
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
export type TSessionRow = {
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
 * Pairs each OIDC credential with the AWS role session it was exchanged for (same job, else same
 * subject within the credential's lifetime); a role session left over is listed by itself. Pure;
 * both lists in (issued_at, key) order.
 */
export function buildReceiptCredentials(credentials: TCredentialRow[], sessions: TSessionRow[]): TDeployReceipt["credentials"] {
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
  return result;
}
