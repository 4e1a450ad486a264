import { obj, type TObj } from "../fields.ts";
import type { TNormalized } from "../types.ts";
import { normalizeApiApprovals } from "./normalize-api-approvals.ts";
import { normalizeApiDeployment } from "./normalize-api-deployment.ts";
import { normalizeApiJob } from "./normalize-api-job.ts";
import { normalizeApiMergeRequest } from "./normalize-api-merge-request.ts";
import { normalizeApiPipeline } from "./normalize-api-pipeline.ts";
import { normalizeDeployment } from "./normalize-deployment.ts";
import { normalizeJob } from "./normalize-job.ts";
import { normalizeMember } from "./normalize-member.ts";
import { normalizeMergeRequest } from "./normalize-merge-request.ts";
import { normalizePipeline } from "./normalize-pipeline.ts";
import { normalizePush } from "./normalize-push.ts";
import { normalizeRelease } from "./normalize-release.ts";

const handlers: Record<string, (body: TObj, at: string, requestUrl: string | null) => TNormalized> = {
  "Merge Request Hook": normalizeMergeRequest,
  "Pipeline Hook": normalizePipeline,
  "Job Hook": normalizeJob,
  "Deployment Hook": normalizeDeployment,
  "Push Hook": (body, at) => normalizePush(body, at, false),
  "Tag Push Hook": (body, at) => normalizePush(body, at, true),
  "Release Hook": normalizeRelease,
  "Member Hook": normalizeMember,
  // REST objects read by backfill and reconciliation (origin api): the same facts, no timeline entries.
  "api.merge_request": normalizeApiMergeRequest,
  "api.merge_request_approvals": normalizeApiApprovals,
  "api.pipeline": normalizeApiPipeline,
  "api.job": normalizeApiJob,
  "api.deployment": normalizeApiDeployment,
};

/**
 * Dispatches on X-Gitlab-Event, or on `api.*` for REST objects (whose project id may only be in the
 * request URL); event types Custody does not use are ignored (still stored).
 */
export function normalizeGitlabDelivery(eventType: string, json: unknown, fallbackAt: string, requestUrl: string | null = null): TNormalized {
  const handler = handlers[eventType];
  if (!handler) return { status: "ignored", reason: `GitLab event "${eventType}" is not used` };
  const body = obj(json);
  if (!body) return { status: "invalid", error: "body is not a JSON object" };
  return handler(body, fallbackAt, requestUrl);
}
