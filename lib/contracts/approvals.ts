import { z } from "zod";
import type { TGatePolicy, TPolicyVerdict } from "./approval-policy.ts";

/** Body of POST /api/v1/approvals/{id}/approve. `onBehalfOf` is required for API tokens (chat-ops). */
export const ZApproveBody = z
  .object({
    fields: z.record(z.string().regex(/^[\w.:-]{1,100}$/, "field keys are block step field keys"), z.string().max(1000)).optional(),
    onBehalfOf: z.string().min(1).max(255).optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();
export type TApproveBody = z.infer<typeof ZApproveBody>;

/** Body of POST /api/v1/approvals/{id}/decline: the reason is required and kept with the decision. */
export const ZDeclineBody = z
  .object({
    reason: z.string().trim().min(3, "say why (at least 3 characters)").max(1000),
    onBehalfOf: z.string().min(1).max(255).optional(),
  })
  .strict();
export type TDeclineBody = z.infer<typeof ZDeclineBody>;

export const gateStates = ["awaiting_approvals", "in_progress", "unblocked", "unknown", "declined", "canceled", "closed"] as const;
export type TGateState = (typeof gateStates)[number];

/** What approve or decline did. Refusals and Buildkite failures are problem+json bodies instead. */
export type TApprovalResult = { gateId: string; state: TGateState; message: string; approvals: number; required: number };

export type TGateDecision = {
  id: string;
  decision: "approve" | "decline";
  by: string;
  at: string;
  reason: string | null;
  buildkiteUserId: string | null;
  allowed: boolean;
  policySource: string;
};

export type TGateAction = { kind: "unblock" | "cancel"; state: string; message: string | null; attempts: number; at: string };

export type TWaitingGate = {
  id: string;
  label: string | null;
  stepKey: string | null;
  environment: string | null;
  pipeline: string;
  buildNumber: number;
  buildUrl: string | null;
  buildState: string | null;
  branch: string | null;
  commitSha: string | null;
  waitingSince: string | null;
  expiresAt: string | null;
  triggeredBy: string[];
  mergeRequests: { project: string; iid: number; title: string | null; url: string | null; state: string | null; author: string | null; approvers: string[] }[];
  commits: { sha: string; title: string | null; author: string | null }[];
  pipelines: { id: string; status: string | null; url: string | null; jobs: { name: string | null; status: string | null }[] }[];
  earlierDeploys: { id: string; environment: string; status: string | null; commitSha: string | null; occurredAt: string; by: string | null }[];
  decisions: TGateDecision[];
  action: TGateAction | null;
  policy: TGatePolicy;
  /** The policy's answer for the caller, computed before any button is shown. */
  verdict: TPolicyVerdict;
};

export type TWaitingGates = { items: TWaitingGate[]; configured: boolean; problem: string | null };

/** Browser-side checks of the answers (shape only; the server builds them from the types above). */
export const ZWaitingGates = z.custom<TWaitingGates>((v) => typeof v === "object" && v !== null && Array.isArray((v as { items?: unknown }).items), "not a list of gates");
export const ZApprovalResult = z.custom<TApprovalResult>((v) => typeof v === "object" && v !== null && typeof (v as { state?: unknown }).state === "string", "not an approval result");
