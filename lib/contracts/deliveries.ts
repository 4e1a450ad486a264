import { z } from "zod";

/** POST /api/v1/deliveries/replay: either delivery ids or every failed delivery. */
export const ZReplayRequest = z
  .object({
    ids: z.array(z.uuid()).min(1).max(1000).optional(),
    failed: z.literal(true).optional(),
  })
  .strict()
  .refine((body) => Boolean(body.ids) !== Boolean(body.failed), { message: "give either ids or failed: true" });
export type TReplayRequest = z.infer<typeof ZReplayRequest>;

export const ZReplayResult = z.object({ queued: z.number().int() });
export type TReplayResult = z.infer<typeof ZReplayResult>;
