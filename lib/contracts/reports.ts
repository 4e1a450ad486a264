import { z } from "zod";

export const reportNames = ["change-management", "credentials", "completeness"] as const;
export const ZReportName = z.enum(reportNames);
export type TReportName = z.infer<typeof ZReportName>;

export const ZReportFormat = z.enum(["csv", "json", "pdf"]);
export type TReportFormat = z.infer<typeof ZReportFormat>;

const MAX_PERIOD_DAYS = 400;

/** A report's filters: the period is [from, to), at most 400 days; `environment` is a comma-separated list (all when absent). */
export const ZReportQuery = z
  .object({
    from: z.iso.datetime({ offset: true, error: "from must be an ISO 8601 date-time, e.g. 2026-09-01T00:00:00Z" }),
    to: z.iso.datetime({ offset: true, error: "to must be an ISO 8601 date-time, e.g. 2026-10-01T00:00:00Z" }),
    environment: z
      .string()
      .max(1000)
      .optional()
      .transform((value) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean)),
    format: ZReportFormat.default("csv"),
  })
  .refine((q) => new Date(q.from) < new Date(q.to), { message: "from must be before to", path: ["to"] })
  .refine((q) => new Date(q.to).getTime() - new Date(q.from).getTime() <= MAX_PERIOD_DAYS * 86_400_000, {
    message: `the period may span at most ${MAX_PERIOD_DAYS} days`,
    path: ["to"],
  });
export type TReportQuery = z.infer<typeof ZReportQuery>;

export const ZReportFinding = z.object({ code: z.string(), severity: z.enum(["high", "medium", "info"]), message: z.string() });

/** One deployment in the change-management report. People are GitLab usernames (or names/e-mails for Buildkite). */
export const ZChangeManagementRow = z.object({
  deploymentId: z.string(),
  occurredAt: z.string(),
  environment: z.string(),
  project: z.string().nullable(),
  provider: z.string(),
  status: z.string().nullable(),
  commitSha: z.string().nullable(),
  deployer: z.string().nullable(),
  mergeRequests: z.array(z.string()),
  authors: z.array(z.string()),
  approvers: z.array(z.string()),
  mergedBy: z.array(z.string()),
  pipelines: z.array(z.string()),
  builds: z.array(z.string()),
  gates: z.array(z.string()),
  credentials: z.array(z.string()),
  findings: z.array(ZReportFinding),
});
export type TChangeManagementRow = z.infer<typeof ZChangeManagementRow>;

export const ZCredentialRow = z.object({
  kind: z.string(),
  key: z.string(),
  environment: z.string().nullable(),
  person: z.string().nullable(),
  subject: z.string().nullable(),
  audience: z.string().nullable(),
  issuedAt: z.string(),
  expiresAt: z.string().nullable(),
  lifetimeSeconds: z.number().nullable(),
  jobId: z.string().nullable(),
  ref: z.string().nullable(),
  roleArn: z.string().nullable(),
  sourceIp: z.string().nullable(),
  findings: z.array(ZReportFinding),
});
export type TCredentialRow = z.infer<typeof ZCredentialRow>;

export const ZCompletenessRow = z.object({
  source: z.string(),
  day: z.string(),
  deliveries: z.number(),
  processed: z.number(),
  ignored: z.number(),
  pending: z.number(),
  failed: z.number(),
  invalid: z.number(),
  lateArrivals: z.number(),
  backfilled: z.number(),
  /** Objects (or states) the vendor's API reported that no webhook had delivered, found that day; and how many were filled. */
  gapsFound: z.number(),
  gapsFilled: z.number(),
  rejected: z.number(),
  rejectedReasons: z.record(z.string(), z.number()),
  hoursWithoutDeliveries: z.array(z.number()),
});
export type TCompletenessRow = z.infer<typeof ZCompletenessRow>;
