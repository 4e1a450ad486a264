import type { TDeployReceipt } from "@/lib/contracts/deployments";
import { buildReceiptFindings, type TFinding } from "@/lib/domain/build-receipt-findings";

export type TFindingOptions = Parameters<typeof buildReceiptFindings>[1];

const norm = (value: string | null | undefined) => value?.trim().toLowerCase() || null;

/**
 * The deploy receipt's findings plus approval by a committer: an approver (other than the author,
 * which is self-approval) whose own or linked accounts' e-mail wrote a commit of the change. Pure.
 * `approverEmails` maps a GitLab username to the e-mails known for that person.
 */
export function buildChangeFindings(
  receipt: Omit<TDeployReceipt, "findings">,
  approverEmails: ReadonlyMap<string, readonly string[]>,
  options: TFindingOptions,
): TFinding[] {
  const findings = buildReceiptFindings(receipt, options);
  for (const mr of receipt.mergeRequests) {
    const committers = new Set((mr.commitAuthorEmails ?? []).map(norm).filter(Boolean));
    for (const approver of mr.approvers) {
      if (!approver.username || norm(approver.username) === norm(mr.author?.username)) continue;
      const emails = approverEmails.get(approver.username) ?? [];
      if (emails.some((e) => committers.has(norm(e)))) {
        findings.push({ code: "approved_by_committer", severity: "high", message: `${mr.project}!${mr.iid} was approved by ${approver.username}, who wrote commits of the change.` });
      }
    }
  }
  return findings;
}
