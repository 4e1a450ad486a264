import "server-only";
import type { TCredentialRow, TReportQuery } from "@/lib/contracts/reports";
import { findCredentialRows } from "./find-credential-rows.ts";
import type { TReport } from "./report-types.ts";

/** Short-lived credentials and role sessions, with a summary per kind, environment and person. */
export function buildCredentialsReport(query: TReportQuery, options: { batchSize?: number } = {}): TReport<TCredentialRow> {
  const byKind: Record<string, number> = {};
  const byEnvironment: Record<string, number> = {};
  const byPerson: Record<string, number> = {};
  const byFinding: Record<string, number> = {};
  let total = 0;
  let withFindings = 0;
  let longest: number | null = null;
  async function* rows() {
    for await (const row of findCredentialRows(query, options)) {
      total += 1;
      byKind[row.kind] = (byKind[row.kind] ?? 0) + 1;
      byEnvironment[row.environment ?? "unknown"] = (byEnvironment[row.environment ?? "unknown"] ?? 0) + 1;
      byPerson[row.person ?? "unknown"] = (byPerson[row.person ?? "unknown"] ?? 0) + 1;
      if (row.findings.length) withFindings += 1;
      for (const code of new Set(row.findings.map((f) => f.code))) byFinding[code] = (byFinding[code] ?? 0) + 1;
      if (row.lifetimeSeconds !== null) longest = Math.max(longest ?? 0, row.lifetimeSeconds);
      yield row;
    }
  }
  return {
    name: "credentials",
    title: "Credentials and access",
    query,
    columns: [
      { key: "issued_at", label: "Issued at", value: (r) => r.issuedAt, weight: 1.6 },
      { key: "kind", label: "Kind", value: (r) => r.kind, weight: 1.2 },
      { key: "environment", label: "Environment", value: (r) => r.environment, weight: 1 },
      { key: "person", label: "Person", value: (r) => r.person, weight: 1.3 },
      { key: "subject", label: "Subject", value: (r) => r.subject, weight: 2.2 },
      { key: "audience", label: "Audience", value: (r) => r.audience, weight: 1.2 },
      { key: "expires_at", label: "Expires at", value: (r) => r.expiresAt, weight: 1.6 },
      { key: "lifetime_seconds", label: "Lifetime (s)", value: (r) => r.lifetimeSeconds, weight: 0.8 },
      { key: "job_id", label: "Job", value: (r) => r.jobId, weight: 1.2 },
      { key: "ref", label: "Ref", value: (r) => r.ref, weight: 1 },
      { key: "role_arn", label: "Role", value: (r) => r.roleArn, weight: 1.8 },
      { key: "source_ip", label: "Source IP", value: (r) => r.sourceIp, weight: 1 },
      { key: "key", label: "Key", value: (r) => r.key, weight: 2 },
      { key: "findings", label: "Findings", value: (r) => r.findings.map((f) => f.code).join("; "), weight: 1.4 },
      { key: "finding_details", label: "Finding details", value: (r) => r.findings.map((f) => `${f.severity}: ${f.message}`).join("; "), weight: 2.5 },
    ],
    rows: rows(),
    summary: () => ({ credentials: total, byKind, byEnvironment, byPerson, withFindings, findings: byFinding, longestLifetimeSeconds: longest }),
  };
}
