import { describe, expect, it } from "vitest";
import { safePolicyDefaults, type TGatePolicy } from "@/lib/contracts/approval-policy";
import { buildPolicyVerdict, type TVerdictInput } from "./build-policy-verdict.ts";

const policy: TGatePolicy = { source: "test", ...safePolicyDefaults, maxGateAgeSeconds: safePolicyDefaults.maxGateAgeSeconds };
const now = new Date("2026-11-26T12:00:00Z");
const base: TVerdictInput = {
  policy,
  approver: { role: "approver", label: "bob", buildkiteUserId: "bk-bob", keys: ["account:gl-bob", "person:bob", "email:bob@acme.test"] },
  gate: { state: "blocked", buildState: "blocked", waitingSince: new Date("2026-11-26T11:00:00Z"), closedReason: null },
  change: {
    mrAuthors: [{ label: "ann (!5)", keys: ["account:gl-ann", "person:ann"] }],
    committers: [{ label: "ann@acme.test", keys: ["email:ann@acme.test"] }],
    triggers: [{ label: "ci-bot", keys: ["account:bk-bot"] }],
  },
  otherApprovals: 0,
  now,
};
const failing = (input: TVerdictInput) => buildPolicyVerdict(input).checks.filter((c) => !c.ok).map((c) => c.rule);

describe("the policy verdict", () => {
  it("an independent approver with a Buildkite account may approve and opens a one-person gate", () => {
    expect(buildPolicyVerdict(base)).toMatchObject({ allowed: true, opensGate: true, approvalsRequired: 1, approvalsSoFar: 0 });
  });

  it("the author, a committer (matched by email on any linked account) and the build trigger (matched by person) are refused", () => {
    expect(failing({ ...base, approver: { ...base.approver, keys: ["person:ann"] } })).toEqual(["not_mr_author"]);
    expect(failing({ ...base, approver: { ...base.approver, keys: ["email:ann@acme.test"] } })).toEqual(["not_committer"]);
    expect(failing({ ...base, approver: { ...base.approver, keys: ["account:bk-bot"] } })).toEqual(["not_build_trigger"]);
  });

  it("a rule switched off in the policy lets that person approve", () => {
    expect(failing({ ...base, policy: { ...policy, forbidCommitters: false }, approver: { ...base.approver, keys: ["email:ann@acme.test"] } })).toEqual([]);
  });

  it("a viewer, someone without a Buildkite account, an expired gate and a closed gate are refused", () => {
    expect(failing({ ...base, approver: { ...base.approver, role: "viewer" } })).toEqual(["approver_role"]);
    expect(failing({ ...base, approver: { ...base.approver, role: "auditor" } })).toEqual(["approver_role"]);
    expect(failing({ ...base, approver: { ...base.approver, role: "admin" } })).toEqual([]);
    expect(failing({ ...base, approver: { ...base.approver, buildkiteUserId: null } })).toEqual(["buildkite_account"]);
    expect(failing({ ...base, gate: { ...base.gate, waitingSince: new Date("2026-11-25T11:00:00Z") } })).toEqual(["gate_age"]);
    expect(failing({ ...base, gate: { ...base.gate, buildState: "canceled" } })).toEqual(["gate_open"]);
    expect(failing({ ...base, gate: { ...base.gate, state: "unblocked" } })).toEqual(["gate_open"]);
    expect(buildPolicyVerdict({ ...base, gate: { ...base.gate, closedReason: "Declined by cat." } }).checks.find((c) => c.rule === "gate_open")?.message).toBe("Declined by cat.");
  });

  it("under the two-person rule the first approval does not open the gate and the second does", () => {
    const two = { ...base, policy: { ...policy, requiredApprovals: 2 } };
    expect(buildPolicyVerdict(two)).toMatchObject({ allowed: true, opensGate: false });
    expect(buildPolicyVerdict({ ...two, otherApprovals: 1 })).toMatchObject({ allowed: true, opensGate: true, approvalsSoFar: 1 });
  });

  it("each refusal names the person and the rule in words", () => {
    const verdict = buildPolicyVerdict({ ...base, approver: { ...base.approver, keys: ["person:ann"] } });
    expect(verdict.checks.find((c) => c.rule === "not_mr_author")?.message).toBe("bob is the merge request author (ann (!5)); someone else must approve.");
  });
});
