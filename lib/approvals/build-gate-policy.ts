import { safePolicyDefaults, type TApprovalPolicyConfig, type TGatePolicy } from "@/lib/contracts/approval-policy";

const matches = (pattern: string, value: string | null) => pattern === "*" || pattern === value;

/**
 * The policy in force for a gate of `pipeline` deploying to `environment`: the safe defaults, then the
 * configured defaults, then the first rule whose pipeline and environment match. Pure.
 */
export function buildGatePolicy(config: TApprovalPolicyConfig, source: string, pipeline: string, environment: string | null): TGatePolicy {
  const rule = config.rules.find((r) => matches(r.pipeline, pipeline) && matches(r.environment, environment));
  const pick = <K extends keyof typeof safePolicyDefaults>(name: K, ruleName: string = name) =>
    ((rule as Record<string, unknown> | undefined)?.[ruleName] ?? (config.defaults as Record<string, unknown>)[ruleName] ?? safePolicyDefaults[name]) as (typeof safePolicyDefaults)[K];
  const index = rule ? config.rules.indexOf(rule) : -1;
  return {
    source: index >= 0 ? `${source} rule ${index + 1} (pipeline ${rule!.pipeline}, environment ${rule!.environment})` : `${source} defaults`,
    requiredApprovals: pick("requiredApprovals"),
    maxGateAgeSeconds: pick("maxGateAgeSeconds", "maxGateAge"),
    forbidMergeRequestAuthor: pick("forbidMergeRequestAuthor"),
    forbidCommitters: pick("forbidCommitters"),
    forbidBuildTrigger: pick("forbidBuildTrigger"),
    declineCancelsBuild: pick("declineCancelsBuild"),
  };
}
