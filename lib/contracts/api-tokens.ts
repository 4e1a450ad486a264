import { z } from "zod";
import { ZRole } from "./roles.ts";

export const ZApiTokenCreate = z.object({
  name: z.string().trim().min(1).max(100),
  role: ZRole,
  /** A duration like 30m, 12h or 90d, or "never". */
  expiresIn: z
    .string()
    .regex(/^(\d+[smhd]|never)$/, "must be a duration like 30d or 12h, or never")
    .default("90d"),
});
export type TApiTokenCreate = z.infer<typeof ZApiTokenCreate>;

export const ZApiTokenSummary = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: ZRole,
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked"]),
});
export type TApiTokenSummary = z.infer<typeof ZApiTokenSummary>;

/** The answer to a create: the only time the token itself is shown. */
export const ZCreatedApiToken = z.object({ token: z.string(), summary: ZApiTokenSummary });
export type TCreatedApiToken = z.infer<typeof ZCreatedApiToken>;
