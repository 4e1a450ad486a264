import { obj, type TObj } from "../fields.ts";
import type { TNormalized } from "../types.ts";
import { normalizeDeployment } from "./normalize-deployment.ts";
import { normalizeJob } from "./normalize-job.ts";
import { normalizeMember } from "./normalize-member.ts";
import { normalizeMergeRequest } from "./normalize-merge-request.ts";
import { normalizePipeline } from "./normalize-pipeline.ts";
import { normalizePush } from "./normalize-push.ts";
import { normalizeRelease } from "./normalize-release.ts";

const handlers: Record<string, (body: TObj, at: string) => TNormalized> = {
  "Merge Request Hook": normalizeMergeRequest,
  "Pipeline Hook": normalizePipeline,
  "Job Hook": normalizeJob,
  "Deployment Hook": normalizeDeployment,
  "Push Hook": (body, at) => normalizePush(body, at, false),
  "Tag Push Hook": (body, at) => normalizePush(body, at, true),
  "Release Hook": normalizeRelease,
  "Member Hook": normalizeMember,
};

/** Dispatches on X-Gitlab-Event; event types Custody does not use are ignored (still stored). */
export function normalizeGitlabDelivery(eventType: string, json: unknown, fallbackAt: string): TNormalized {
  const handler = handlers[eventType];
  if (!handler) return { status: "ignored", reason: `GitLab event "${eventType}" is not used` };
  const body = obj(json);
  if (!body) return { status: "invalid", error: "body is not a JSON object" };
  return handler(body, fallbackAt);
}
