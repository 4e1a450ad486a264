import { z } from "zod";

/**
 * Everything Custody records about its own use. Some actions belong to features that record them as
 * they ship (evidence downloads, approval decisions, people links, settings).
 */
export const auditActions = [
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "session_revoked",
  "access_lost",
  "role_changed",
  "token_created",
  "token_revoked",
  "export",
  "evidence_download",
  "approval_decision",
  "people_link_changed",
  "setting_changed",
  "replay",
  "backfill",
] as const;
export const ZAuditAction = z.enum(auditActions);
export type TAuditAction = z.infer<typeof ZAuditAction>;

export const ZAuditActorType = z.enum(["user", "token", "cli", "system", "anonymous"]);
export type TAuditActorType = z.infer<typeof ZAuditActorType>;

export const ZAuditEntry = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorType: ZAuditActorType,
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: ZAuditAction,
  outcome: z.enum(["success", "failure"]),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditQuery = z.object({
  action: ZAuditAction.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export const ZAuditPage = z.object({ items: z.array(ZAuditEntry), nextCursor: z.string().nullable() });
export type TAuditPage = z.infer<typeof ZAuditPage>;

export const ZAuditExportQuery = z.object({
  format: z.enum(["csv", "json"]).default("csv"),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type TAuditExportQuery = z.infer<typeof ZAuditExportQuery>;
