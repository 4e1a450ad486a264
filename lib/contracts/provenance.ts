import { z } from "zod";

// Merge request, pipeline, build and delivery pages: one contract each, built from shared references
// so every identifier can be linked to its own page.

export const ZAccountRef = z.object({
  system: z.string(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  personId: z.string().nullable(),
});
export type TAccountRef = z.infer<typeof ZAccountRef>;

export const ZEvidenceItem = z.object({ deliveryId: z.string(), source: z.string(), event: z.string(), sha256: z.string(), receivedAt: z.string(), origin: z.string() });
export type TEvidenceItem = z.infer<typeof ZEvidenceItem>;

export const ZDeploymentRef = z.object({
  id: z.string(),
  environment: z.string(),
  status: z.string().nullable(),
  commitSha: z.string().nullable(),
  occurredAt: z.string(),
  linkedBy: z.string(),
});
export const ZMergeRequestRef = z.object({ project: z.string(), iid: z.number(), title: z.string().nullable(), state: z.string().nullable(), linkedBy: z.string() });
export const ZPipelineRef = z.object({ project: z.string(), id: z.string(), status: z.string().nullable(), ref: z.string().nullable(), sha: z.string().nullable(), source: z.string().nullable(), createdAt: z.string().nullable(), linkedBy: z.string() });
export const ZBuildRef = z.object({ pipeline: z.string(), number: z.number(), state: z.string().nullable(), commitSha: z.string().nullable(), createdAt: z.string().nullable(), linkedBy: z.string() });
export type TDeploymentRef = z.infer<typeof ZDeploymentRef>;
export type TMergeRequestRef = z.infer<typeof ZMergeRequestRef>;
export type TPipelineRef = z.infer<typeof ZPipelineRef>;
export type TBuildRef = z.infer<typeof ZBuildRef>;

export const ZMergeRequestDetail = z.object({
  project: z.string(),
  iid: z.number(),
  title: z.string().nullable(),
  state: z.string().nullable(),
  url: z.string().nullable(),
  sourceBranch: z.string().nullable(),
  targetBranch: z.string().nullable(),
  headSha: z.string().nullable(),
  mergeCommitSha: z.string().nullable(),
  squashCommitSha: z.string().nullable(),
  openedAt: z.string().nullable(),
  mergedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  author: ZAccountRef.nullable(),
  mergedBy: ZAccountRef.nullable(),
  approvals: z.array(z.object({ account: ZAccountRef, approvedAt: z.string().nullable(), revokedAt: z.string().nullable() })),
  commits: z.array(z.object({ sha: z.string(), title: z.string().nullable(), authorName: z.string().nullable(), authorEmail: z.string().nullable(), committedAt: z.string().nullable() })),
  pipelines: z.array(ZPipelineRef),
  builds: z.array(ZBuildRef),
  deployments: z.array(ZDeploymentRef),
  evidence: z.array(ZEvidenceItem),
});
export type TMergeRequestDetail = z.infer<typeof ZMergeRequestDetail>;

export const ZPipelineDetail = z.object({
  project: z.string(),
  id: z.string(),
  iid: z.number().nullable(),
  status: z.string().nullable(),
  ref: z.string().nullable(),
  sha: z.string().nullable(),
  beforeSha: z.string().nullable(),
  source: z.string().nullable(),
  url: z.string().nullable(),
  triggeredBy: ZAccountRef.nullable(),
  createdAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  jobs: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      stage: z.string().nullable(),
      status: z.string().nullable(),
      environment: z.string().nullable(),
      user: ZAccountRef.nullable(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
    }),
  ),
  mergeRequests: z.array(ZMergeRequestRef),
  builds: z.array(ZBuildRef),
  deployments: z.array(ZDeploymentRef),
  evidence: z.array(ZEvidenceItem),
});
export type TPipelineDetail = z.infer<typeof ZPipelineDetail>;

export const ZBuildDetail = z.object({
  pipeline: z.string(),
  number: z.number(),
  organization: z.string().nullable(),
  state: z.string().nullable(),
  blocked: z.boolean(),
  commitSha: z.string().nullable(),
  branch: z.string().nullable(),
  message: z.string().nullable(),
  source: z.string().nullable(),
  url: z.string().nullable(),
  creator: ZAccountRef.nullable(),
  author: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  gitlab: z.object({ projectPath: z.string().nullable(), pipelineId: z.string().nullable(), jobId: z.string().nullable(), mrIid: z.number().nullable() }),
  createdAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  jobs: z.array(
    z.object({
      id: z.string(),
      type: z.string().nullable(),
      label: z.string().nullable(),
      stepKey: z.string().nullable(),
      state: z.string().nullable(),
      environment: z.string().nullable(),
      agentName: z.string().nullable(),
      exitStatus: z.number().nullable(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      unblockedBy: ZAccountRef.nullable(),
      unblockedAt: z.string().nullable(),
    }),
  ),
  mergeRequests: z.array(ZMergeRequestRef),
  pipelines: z.array(ZPipelineRef),
  deployments: z.array(ZDeploymentRef),
  evidence: z.array(ZEvidenceItem),
});
export type TBuildDetail = z.infer<typeof ZBuildDetail>;

/** `?format=raw` answers the body exactly as received, so `sha256sum` can check it against `sha256`. */
export const ZDeliveryQuery = z.object({ format: z.enum(["raw"]).optional() });

export const ZDeliveryDetail = z.object({
  id: z.string(),
  source: z.string(),
  origin: z.string(),
  event: z.string(),
  sha256: z.string(),
  byteLength: z.number(),
  receivedAt: z.string(),
  verifyMethod: z.string(),
  verifyResult: z.string(),
  processingState: z.string(),
  processingError: z.string().nullable(),
  headers: z.record(z.string(), z.unknown()),
  /** The body as received (UTF-8); its SHA-256 is `sha256`. */
  body: z.string(),
  facts: z.array(z.object({ entityType: z.string(), entityId: z.string() })),
});
export type TDeliveryDetail = z.infer<typeof ZDeliveryDetail>;
