import { describe, expect, it } from "vitest";
import { ZApprovalPolicyConfig } from "@/lib/contracts/approval-policy";
import { buildGatePolicy } from "./build-gate-policy.ts";

const config = ZApprovalPolicyConfig.parse({
  defaults: { maxGateAge: "12h" },
  rules: [
    { pipeline: "deploy-api", environment: "production", requiredApprovals: 2, declineCancelsBuild: true },
    { pipeline: "*", environment: "staging", forbidCommitters: false },
  ],
});

describe("the policy for a gate", () => {
  it("with nothing configured is the safe default: one independent approver, 24 h, no cancel", () => {
    expect(buildGatePolicy(ZApprovalPolicyConfig.parse({}), "built-in", "any", null)).toEqual({
      source: "built-in defaults",
      requiredApprovals: 1,
      maxGateAgeSeconds: 86_400,
      forbidMergeRequestAuthor: true,
      forbidCommitters: true,
      forbidBuildTrigger: true,
      declineCancelsBuild: false,
    });
  });

  it("takes the first rule matching pipeline and environment over the configured defaults", () => {
    expect(buildGatePolicy(config, "policy.json", "deploy-api", "production")).toMatchObject({ source: "policy.json rule 1 (pipeline deploy-api, environment production)", requiredApprovals: 2, declineCancelsBuild: true, maxGateAgeSeconds: 43_200 });
    expect(buildGatePolicy(config, "policy.json", "web", "staging")).toMatchObject({ requiredApprovals: 1, forbidCommitters: false, forbidMergeRequestAuthor: true });
    expect(buildGatePolicy(config, "policy.json", "deploy-api", "staging")).toMatchObject({ source: expect.stringContaining("rule 2") });
    expect(buildGatePolicy(config, "policy.json", "deploy-api", null)).toMatchObject({ source: "policy.json defaults", requiredApprovals: 1 });
  });

  it("refuses unknown keys and out-of-range values", () => {
    expect(ZApprovalPolicyConfig.safeParse({ rules: [{ pipeline: "x", requiredApproval: 2 }] }).success).toBe(false);
    expect(ZApprovalPolicyConfig.safeParse({ defaults: { requiredApprovals: 0 } }).success).toBe(false);
    expect(ZApprovalPolicyConfig.safeParse({ defaults: { maxGateAge: "forever" } }).success).toBe(false);
  });
});
