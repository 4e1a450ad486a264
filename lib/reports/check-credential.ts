import type { TCredentialRow } from "@/lib/contracts/reports";
import type { TFinding } from "@/lib/domain/build-receipt-findings";
import { productionEnvironments } from "@/lib/shared/production-environments";

/** Findings for one credential or role session (pure): lifetime and audience policy, use outside CI, production from a side branch, refused exchange. */
export function checkCredential(row: Omit<TCredentialRow, "findings"> & { errorCode?: string | null }, policy: { maxLifetimeSeconds: number; allowedAudiences: string[] }): TFinding[] {
  const findings: TFinding[] = [];
  const what = row.kind === "aws-role-session" ? `Role session ${row.roleArn ?? "?"}` : `Credential for ${row.subject ?? "?"}`;
  if (row.lifetimeSeconds !== null && row.lifetimeSeconds > policy.maxLifetimeSeconds) {
    findings.push({ code: "credential_lifetime", severity: "medium", message: `${what} lived ${row.lifetimeSeconds} s; the policy allows ${policy.maxLifetimeSeconds} s.` });
  }
  if (policy.allowedAudiences.length && row.audience && !row.audience.split(" ").every((a) => policy.allowedAudiences.includes(a))) {
    findings.push({ code: "credential_audience", severity: "high", message: `${what} was issued for audience "${row.audience}", which is not allowed.` });
  }
  if (row.kind === "aws-role-session" && !row.jobId) {
    findings.push({ code: "role_session_without_job", severity: "high", message: `${what} matches no CI job: the role was used from outside CI.` });
  }
  const branch = row.ref?.replace(/^refs\/heads\//, "") ?? null;
  if (row.environment && productionEnvironments.includes(row.environment) && branch && !["main", "master"].includes(branch)) {
    findings.push({ code: "credential_non_default_branch", severity: "high", message: `${what} for ${row.environment} was issued on branch ${branch}.` });
  }
  if (row.errorCode) findings.push({ code: "role_session_refused", severity: "info", message: `${what} was refused by AWS (${row.errorCode}).` });
  return findings;
}
