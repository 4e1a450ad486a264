import type { TGatePolicy, TPolicyCheck, TPolicyVerdict } from "@/lib/contracts/approval-policy";
import type { TRole } from "@/lib/contracts/roles";
import { roleAllows } from "@/lib/shared/role-allows";

/** Identity keys of one party: `account:<id>`, `person:<id>`, `email:<lowercase>`. Any shared key is the same human. */
export type TIdentityKeys = string[];

export type TVerdictInput = {
  policy: TGatePolicy;
  approver: { role: TRole | null; label: string; buildkiteUserId: string | null; keys: TIdentityKeys };
  gate: { state: string | null; buildState: string | null; waitingSince: Date | null; closedReason: string | null };
  change: { mrAuthors: { label: string; keys: TIdentityKeys }[]; committers: { label: string; keys: TIdentityKeys }[]; triggers: { label: string; keys: TIdentityKeys }[] };
  /** Distinct people other than this approver whose approval of this gate is recorded. */
  otherApprovals: number;
  now: Date;
};

const overlaps = (a: TIdentityKeys, b: TIdentityKeys) => a.some((k) => b.includes(k));
const ageText = (seconds: number) => (seconds >= 7200 ? `${Math.round(seconds / 3600)} h` : seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`);

/**
 * What the policy says about this approver approving this gate: every rule with a sentence a lead
 * understands, whether the approval is allowed, and whether it would open the gate (N distinct people).
 * Pure; the same function answers "what would happen" on the page and decides on approve.
 */
export function buildPolicyVerdict(input: TVerdictInput): TPolicyVerdict {
  const { policy, approver, gate, change } = input;
  const checks: TPolicyCheck[] = [];
  const roleOk = approver.role !== null && roleAllows(approver.role, "approver");
  checks.push({ rule: "approver_role", ok: roleOk, message: roleOk ? `${approver.label} has the approver role.` : `${approver.label} needs the approver role (has ${approver.role ?? "none"}).` });
  checks.push({
    rule: "buildkite_account",
    ok: approver.buildkiteUserId !== null,
    message: approver.buildkiteUserId
      ? "A Buildkite account is linked, so Buildkite will record this person as the unblocker."
      : "No Buildkite account is linked to this person, so Buildkite could not record who unblocked. An admin can link one under People.",
  });
  const waiting = gate.state === "blocked" && gate.buildState !== "canceled" && gate.buildState !== "canceling" && !gate.closedReason;
  checks.push({
    rule: "gate_open",
    ok: waiting,
    message: waiting ? "The gate is waiting." : gate.closedReason ?? (gate.buildState === "canceled" || gate.buildState === "canceling" ? "The build was canceled." : `The gate is not waiting (state ${gate.state ?? "unknown"}).`),
  });
  const age = gate.waitingSince ? (input.now.getTime() - gate.waitingSince.getTime()) / 1000 : null;
  const fresh = age === null || age <= policy.maxGateAgeSeconds;
  checks.push({
    rule: "gate_age",
    ok: fresh,
    message: fresh
      ? `The gate has waited ${age === null ? "an unknown time" : ageText(age)}; gates expire after ${ageText(policy.maxGateAgeSeconds)}.`
      : `The gate expired: it has waited ${ageText(age!)}, longer than ${ageText(policy.maxGateAgeSeconds)}. Rebuild to get a fresh gate.`,
  });
  const party = (rule: "not_mr_author" | "not_committer" | "not_build_trigger", on: boolean, who: { label: string; keys: TIdentityKeys }[], role: string) => {
    if (!on) return checks.push({ rule, ok: true, message: `The policy allows the ${role} to approve.` });
    const hit = who.find((w) => overlaps(w.keys, approver.keys));
    checks.push({ rule, ok: !hit, message: hit ? `${approver.label} is the ${role} (${hit.label}); someone else must approve.` : `${approver.label} is not the ${role}.` });
  };
  party("not_mr_author", policy.forbidMergeRequestAuthor, change.mrAuthors, "merge request author");
  party("not_committer", policy.forbidCommitters, change.committers, "author of a commit in the change");
  party("not_build_trigger", policy.forbidBuildTrigger, change.triggers, "person who triggered the build");
  const allowed = checks.every((c) => c.ok);
  return {
    allowed,
    checks,
    approvalsRequired: policy.requiredApprovals,
    approvalsSoFar: input.otherApprovals,
    opensGate: allowed && input.otherApprovals + 1 >= policy.requiredApprovals,
  };
}
