import { z } from "zod";
import { ZRole } from "./roles.ts";

export const ZSessionSummary = z.object({
  id: z.string(),
  username: z.string(),
  provider: z.string(),
  role: ZRole.nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type TSessionSummary = z.infer<typeof ZSessionSummary>;

/** Who the caller is, as GET /api/v1/me answers. */
export const ZMe = z.object({
  kind: z.enum(["user", "token"]),
  name: z.string(),
  role: ZRole,
  provider: z.string().nullable(),
});
export type TMe = z.infer<typeof ZMe>;
