import type { TDeployReceipt } from "@/lib/contracts/deployments";

export type TFinding = { code: string; severity: "high" | "medium" | "info"; message: string };

const norm = (value: string | null | undefined) => value?.trim().toLowerCase() || null;

/**
 * Change-management findings for one receipt (pure). Identity comparisons use GitLab usernames
 * and the e-mail addresses git and Buildkite record; they never match on display names alone.
 */
export function buildReceiptFindings(
  receipt: Omit<TDeployReceipt, "findings">,
  options: { minApprovals?: number; maxCredentialLifetimeSeconds?: number; allowedAudiences?: string[]; defaultBranches?: string[]; production?: boolean } = {},
): TFinding[] {
  const minApprovals = options.minApprovals ?? 1;
  const maxLifetime = options.maxCredentialLifetimeSeconds ?? 3600;
  const findings: TFinding[] = [];
  if (receipt.mergeRequests.length === 0) {
    findings.push({ code: "no_merge_request", severity: "high", message: "No merge request is linked to the deployed commit: the change was not reviewed in GitLab, or its evidence is missing." });
  }
  for (const mr of receipt.mergeRequests) {
    const ref = `${mr.project}!${mr.iid}`;
    if (mr.state !== "merged") findings.push({ code: "unmerged_change", severity: "high", message: `${ref} was deployed while ${mr.state ?? "in an unknown state"}, not merged.` });
    const approvers = mr.approvers.map((a) => norm(a.username));
    if (mr.author?.username && approvers.includes(norm(mr.author.username))) {
      findings.push({ code: "self_approval", severity: "high", message: `${ref} was approved by its author ${mr.author.username}.` });
    }
    if (mr.approvers.length < minApprovals) {
      findings.push({ code: "insufficient_approvals", severity: "high", message: `${ref} has ${mr.approvers.length} approval(s); the policy requires ${minApprovals}.` });
    }
    if (mr.mergedBy?.username && norm(mr.mergedBy.username) === norm(mr.author?.username)) {
      findings.push({ code: "merged_by_author", severity: "medium", message: `${ref} was merged by its author.` });
    }
  }
  const failed = receipt.pipelines.filter((p) => p.status && p.status !== "success" && p.status !== "running" && p.status !== "manual");
  for (const p of failed) findings.push({ code: "failed_pipeline", severity: "high", message: `Pipeline #${p.id} on ${p.ref ?? "?"} ended ${p.status}.` });
  const authorEmails = new Set(receipt.mergeRequests.flatMap((mr) => mr.commitAuthorEmails ?? []).map(norm).filter(Boolean));
  for (const build of receipt.builds) {
    for (const gate of build.gates) {
      if (!gate.unblockedBy) continue;
      if (authorEmails.has(norm(gate.unblockedBy.email))) {
        findings.push({ code: "gate_opened_by_author", severity: "high", message: `The gate "${gate.label ?? "?"}" of ${build.pipeline} #${build.number} was opened by an author of the change (${gate.unblockedBy.email}).` });
      }
    }
  }
  const changeApproved = receipt.mergeRequests.some((mr) => mr.state === "merged" && mr.approvers.length >= minApprovals);
  for (const credential of receipt.credentials) {
    const what = credential.kind === "aws-role-session" ? `Role session ${credential.roleSession?.sessionName ?? "?"}` : `Credential for ${credential.subject ?? "?"}`;
    if (credential.lifetimeSeconds !== null && credential.lifetimeSeconds > maxLifetime) {
      findings.push({ code: "credential_lifetime", severity: "medium", message: `${what} lived ${credential.lifetimeSeconds} s; the policy allows ${maxLifetime} s.` });
    }
    if (options.allowedAudiences?.length && credential.audience && !credential.audience.split(" ").every((a) => options.allowedAudiences!.includes(a))) {
      findings.push({ code: "credential_audience", severity: "high", message: `${what} was issued for audience "${credential.audience}", which is not allowed.` });
    }
    if (credential.kind === "aws-role-session" && !credential.jobId) {
      findings.push({ code: "role_session_without_job", severity: "high", message: `${what} matches no CI job: the role was used from outside CI.` });
    }
    const branch = credential.ref?.replace(/^refs\/heads\//, "") ?? null;
    const defaults = options.defaultBranches?.length ? options.defaultBranches : ["main", "master"];
    if (options.production && branch && !defaults.includes(branch)) {
      findings.push({ code: "credential_non_default_branch", severity: "high", message: `${what} for production was issued on branch ${branch}, not the default branch (${defaults.join(", ")}).` });
    }
    if (!changeApproved && credential.kind !== "aws-role-session") {
      findings.push({ code: "credential_for_unapproved_change", severity: "high", message: `${what} was issued to a job of a change that was not approved and merged.` });
    }
  }
  return findings;
}
