import { z } from "zod";

/** A background export's period parameters, as the report and evidence-pack queries take them (the kind names the format). */
export const ZExportPeriodParams = z.object({ from: z.string(), to: z.string(), environment: z.string().optional() });
export type TExportPeriodParams = z.infer<typeof ZExportPeriodParams>;

export const ZExportState = z.enum(["queued", "running", "done", "failed"]);
export type TExportState = z.infer<typeof ZExportState>;

/** POST /api/v1/exports: a kind and that kind's parameters (for reports: from, to, environment as in the report query). */
export const ZCreateExportBody = z.object({
  kind: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type TCreateExportBody = z.infer<typeof ZCreateExportBody>;

export const ZExportJob = z.object({
  id: z.string(),
  kind: z.string(),
  params: z.record(z.string(), z.unknown()),
  requestedBy: z.string(),
  state: ZExportState,
  progress: z.object({ done: z.number(), total: z.number().nullable() }),
  error: z.string().nullable(),
  resultSize: z.number().nullable(),
  resultSha256: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string(),
  downloadUrl: z.string().nullable(),
});
export type TExportJob = z.infer<typeof ZExportJob>;

export const ZExportJobs = z.object({ items: z.array(ZExportJob) });
export type TExportJobs = z.infer<typeof ZExportJobs>;
