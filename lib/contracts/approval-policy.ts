import { z } from "zod";

const durationPattern = /^(\d{1,9})([smhd])$/;
const unitSeconds = { s: 1, m: 60, h: 3600, d: 86400 } as const;

const ZDuration = z
  .string()
  .regex(durationPattern, "must be a duration like 30m, 24h or 7d")
  .transform((value) => {
    const match = durationPattern.exec(value)!;
    return Number(match[1]) * unitSeconds[match[2] as keyof typeof unitSeconds];
  });

/** Rule settings; every field is optional in a rule and falls back to `defaults`, then to the safe defaults. */
const ZPolicySettings = z
  .object({
    requiredApprovals: z.number().int().min(1).max(10),
    maxGateAge: ZDuration,
    forbidMergeRequestAuthor: z.boolean(),
    forbidCommitters: z.boolean(),
    forbidBuildTrigger: z.boolean(),
    declineCancelsBuild: z.boolean(),
  })
  .strict();

const ZPolicyRule = ZPolicySettings.partial().extend({
  pipeline: z.string().min(1).default("*"),
  environment: z.string().min(1).default("*"),
});

/**
 * CUSTODY_APPROVAL_POLICY: inline JSON or a path to a JSON file, e.g.
 * `{"defaults":{"maxGateAge":"24h"},"rules":[{"pipeline":"deploy-api","environment":"production","requiredApprovals":2,"declineCancelsBuild":true}]}`.
 * The first rule whose pipeline and environment match ("*" matches any) overrides the defaults.
 */
export const ZApprovalPolicyConfig = z
  .object({
    defaults: ZPolicySettings.partial().default({}),
    rules: z.array(ZPolicyRule.strict()).default([]),
  })
  .strict();
export type TApprovalPolicyConfig = z.infer<typeof ZApprovalPolicyConfig>;

/** The policy in force for one gate, as stored with every decision. */
export type TGatePolicy = {
  source: string;
  requiredApprovals: number;
  maxGateAgeSeconds: number;
  forbidMergeRequestAuthor: boolean;
  forbidCommitters: boolean;
  forbidBuildTrigger: boolean;
  declineCancelsBuild: boolean;
};

/** Safe defaults: one independent approver, gates older than a day expire, declines leave the build alone. */
export const safePolicyDefaults = {
  requiredApprovals: 1,
  maxGateAgeSeconds: 86_400,
  forbidMergeRequestAuthor: true,
  forbidCommitters: true,
  forbidBuildTrigger: true,
  declineCancelsBuild: false,
} as const;

export const policyRuleNames = ["approver_role", "buildkite_account", "gate_open", "gate_age", "not_mr_author", "not_committer", "not_build_trigger"] as const;
export type TPolicyRuleName = (typeof policyRuleNames)[number];

/** One rule's result for one approver. */
export type TPolicyCheck = { rule: TPolicyRuleName; ok: boolean; message: string };

/** What the policy says for one approver on one gate. */
export type TPolicyVerdict = {
  allowed: boolean;
  checks: TPolicyCheck[];
  approvalsRequired: number;
  approvalsSoFar: number;
  /** True when this approval would complete the count and open the gate. */
  opensGate: boolean;
};
