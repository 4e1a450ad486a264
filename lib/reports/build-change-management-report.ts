import "server-only";
import type { TChangeManagementRow, TReportQuery } from "@/lib/contracts/reports";
import { findChangeManagementRows } from "./find-change-management-rows.ts";
import type { TReport } from "./report-types.ts";

const list = (values: string[]) => values.join("; ");

/**
 * The change-management report (SOC 2 CC8.1, ISO 27001 A.8.32): one row per deployment, and a
 * summary of counts, exceptions (deployments with a finding) and the sampling population.
 */
export function buildChangeManagementReport(query: TReportQuery, options: { batchSize?: number; onBatch?: (size: number) => void } = {}): TReport<TChangeManagementRow> {
  const byEnvironment: Record<string, number> = {};
  const byFinding: Record<string, number> = {};
  let total = 0;
  let exceptions = 0;
  let first: string | null = null;
  let last: string | null = null;
  async function* rows() {
    for await (const row of findChangeManagementRows(query, options)) {
      total += 1;
      first ??= row.occurredAt;
      last = row.occurredAt;
      byEnvironment[row.environment] = (byEnvironment[row.environment] ?? 0) + 1;
      if (row.findings.length) exceptions += 1;
      for (const code of new Set(row.findings.map((f) => f.code))) byFinding[code] = (byFinding[code] ?? 0) + 1;
      yield row;
    }
  }
  return {
    name: "change-management",
    title: "Change management",
    query,
    columns: [
      { key: "occurred_at", label: "Deployed at", value: (r) => r.occurredAt, weight: 1.6 },
      { key: "deployment_id", label: "Deployment", value: (r) => r.deploymentId, weight: 2 },
      { key: "environment", label: "Environment", value: (r) => r.environment, weight: 1.1 },
      { key: "project", label: "Project", value: (r) => r.project, weight: 1.4 },
      { key: "status", label: "Status", value: (r) => r.status, weight: 0.9 },
      { key: "commit_sha", label: "Commit", value: (r) => r.commitSha, weight: 1.4 },
      { key: "deployer", label: "Deployer", value: (r) => r.deployer, weight: 1 },
      { key: "merge_requests", label: "Merge requests", value: (r) => list(r.mergeRequests), weight: 1.6 },
      { key: "authors", label: "Authors", value: (r) => list(r.authors), weight: 1 },
      { key: "approvers", label: "Approvers", value: (r) => list(r.approvers), weight: 1.6 },
      { key: "merged_by", label: "Merged by", value: (r) => list(r.mergedBy), weight: 1 },
      { key: "pipelines", label: "CI pipelines", value: (r) => list(r.pipelines), weight: 1.3 },
      { key: "builds", label: "Builds", value: (r) => list(r.builds), weight: 1.3 },
      { key: "gates", label: "Gates", value: (r) => list(r.gates), weight: 1.6 },
      { key: "credentials", label: "Credentials", value: (r) => list(r.credentials), weight: 1.6 },
      { key: "findings", label: "Findings", value: (r) => list(r.findings.map((f) => f.code)), weight: 1.4 },
      { key: "finding_details", label: "Finding details", value: (r) => list(r.findings.map((f) => `${f.severity}: ${f.message}`)), weight: 2.5 },
    ],
    rows: rows(),
    summary: () => ({
      deployments: total,
      byEnvironment,
      exceptions,
      withoutExceptions: total - exceptions,
      findings: byFinding,
      population: { size: total, unit: "deployment", key: "deployment_id", first, last },
    }),
  };
}
