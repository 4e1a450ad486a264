import { z } from "zod";

export const ZDeploymentsQuery = z.object({
  project: z.string().min(1).max(300).optional(),
  environment: z.string().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TDeploymentsQuery = z.infer<typeof ZDeploymentsQuery>;

export const ZDeploymentSummary = z.object({
  id: z.string(),
  provider: z.string(),
  project: z.string().nullable(),
  environment: z.string(),
  status: z.string().nullable(),
  commitSha: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  occurredAt: z.string(),
});
export type TDeploymentSummary = z.infer<typeof ZDeploymentSummary>;

const ZUserRef = z.object({ username: z.string().nullable(), name: z.string().nullable().optional() }).nullable();

export const ZDeployReceipt = ZDeploymentSummary.extend({
  triggeredBy: ZUserRef,
  mergeRequests: z.array(
    z.object({
      iid: z.number(),
      project: z.string().nullable(),
      title: z.string().nullable(),
      url: z.string().nullable(),
      state: z.string().nullable(),
      author: ZUserRef,
      approvers: z.array(z.object({ username: z.string().nullable(), approvedAt: z.string().nullable() })),
      mergedBy: ZUserRef,
      mergedAt: z.string().nullable(),
      commits: z.array(z.string()),
      commitAuthorEmails: z.array(z.string()).optional(),
      linkedBy: z.string(),
    }),
  ),
  pipelines: z.array(
    z.object({
      provider: z.literal("gitlab"),
      project: z.string().optional(),
      id: z.string(),
      status: z.string().nullable(),
      ref: z.string().nullable(),
      sha: z.string().nullable(),
      source: z.string().nullable(),
      url: z.string().nullable(),
      triggeredBy: ZUserRef,
      jobs: z.array(z.object({ id: z.string(), name: z.string().nullable(), status: z.string().nullable(), user: ZUserRef })),
      linkedBy: z.string(),
    }),
  ),
  builds: z.array(
    z.object({
      provider: z.literal("buildkite"),
      pipeline: z.string(),
      number: z.number(),
      state: z.string().nullable(),
      url: z.string().nullable(),
      creator: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
      gates: z.array(
        z.object({
          label: z.string().nullable(),
          state: z.string().nullable(),
          unblockedBy: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
          unblockedAt: z.string().nullable(),
        }),
      ),
      linkedBy: z.string(),
    }),
  ),
  credentials: z.array(
    z.object({
      kind: z.string(),
      issuer: z.string().nullable(),
      subject: z.string().nullable(),
      audience: z.string().nullable(),
      issuedAt: z.string().nullable(),
      expiresAt: z.string().nullable(),
      lifetimeSeconds: z.number().nullable(),
      jobId: z.string().nullable(),
      ref: z.string().nullable(),
      roleSession: z
        .object({ roleArn: z.string().nullable(), sessionName: z.string().nullable(), issuedAt: z.string().nullable(), expiresAt: z.string().nullable(), sourceIp: z.string().nullable() })
        .nullable(),
    }),
  ),
  findings: z.array(z.object({ code: z.string(), severity: z.enum(["high", "medium", "info"]), message: z.string() })),
  evidence: z.array(
    z.object({ deliveryId: z.string(), source: z.string(), event: z.string(), sha256: z.string(), receivedAt: z.string(), origin: z.string() }),
  ),
});
export type TDeployReceipt = z.infer<typeof ZDeployReceipt>;

/** `?format=json|pdf` turns the receipt into a download (the plain GET is the JSON API answer). */
export const ZDeployReceiptQuery = z.object({ format: z.enum(["json", "pdf"]).optional() });
export type TDeployReceiptQuery = z.infer<typeof ZDeployReceiptQuery>;
