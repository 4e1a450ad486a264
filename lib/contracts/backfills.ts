import { z } from "zod";

export const ZBackfillSource = z.enum(["gitlab", "buildkite"]);
export type TBackfillSourceName = z.infer<typeof ZBackfillSource>;

const day = z
  .string()
  .trim()
  .refine((value) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)), "must be a date like 2026-01-31 or 2026-01-31T12:00:00Z");

/** POST /api/v1/backfills: read a source's API for a window (until now when `until` is absent). */
export const ZBackfillCreate = z
  .object({ source: ZBackfillSource, since: day, until: day.optional() })
  .refine((b) => !b.until || Date.parse(b.until) > Date.parse(b.since), { message: "until must be after since", path: ["until"] })
  .refine((b) => Date.parse(b.since) < Date.now(), { message: "since must be in the past", path: ["since"] });
export type TBackfillCreate = z.infer<typeof ZBackfillCreate>;

export const ZBackfillRun = z.object({
  id: z.string(),
  source: ZBackfillSource,
  kind: z.enum(["backfill", "reconcile"]),
  windowFrom: z.string(),
  windowTo: z.string(),
  state: z.enum(["queued", "running", "done", "failed"]),
  /** Units of work (a resource of a project or pipeline) finished, out of `unitsTotal` (null until planned). */
  unitsDone: z.number(),
  unitsTotal: z.number().nullable(),
  requests: z.number(),
  fetched: z.number(),
  stored: z.number(),
  gapsFound: z.number(),
  startedBy: z.string(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TBackfillRun = z.infer<typeof ZBackfillRun>;

export const ZBackfillList = z.object({
  items: z.array(ZBackfillRun),
  /** Why a source cannot be read (missing settings), per source; absent when it can. */
  unavailable: z.record(z.string(), z.string()),
});
export type TBackfillList = z.infer<typeof ZBackfillList>;
