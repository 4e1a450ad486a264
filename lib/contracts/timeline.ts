import { z } from "zod";

export const ZTimelineQuery = z.object({
  q: z.string().trim().max(200).optional(),
  project: z.string().trim().min(1).max(300).optional(),
  environment: z.string().trim().min(1).max(200).optional(),
  person: z.string().trim().min(1).max(200).optional(),
  kind: z.string().trim().min(1).max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TTimelineQuery = z.infer<typeof ZTimelineQuery>;

export const ZTimelineItem = z.object({
  id: z.string(),
  occurredAt: z.string(),
  kind: z.string(),
  source: z.string(),
  title: z.string(),
  projectPath: z.string().nullable(),
  environment: z.string().nullable(),
  actor: z.string().nullable(),
  sha: z.string().nullable(),
  refs: z.array(z.string()),
  deliveryId: z.string().nullable(),
});
export type TTimelineItem = z.infer<typeof ZTimelineItem>;

export const ZTimelinePage = z.object({
  items: z.array(ZTimelineItem),
  nextCursor: z.string().nullable(),
  deployments: z.array(z.object({ id: z.string(), environment: z.string(), status: z.string().nullable(), occurredAt: z.string() })),
});
export type TTimelinePage = z.infer<typeof ZTimelinePage>;
