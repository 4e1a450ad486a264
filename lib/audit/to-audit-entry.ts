import type { TAuditEntry } from "@/lib/contracts/audit";
import { ZAuditAction, ZAuditActorType } from "@/lib/contracts/audit";

type TRow = {
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  outcome: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
};

/** The API shape of a stored audit row. */
export function toAuditEntry(row: TRow): TAuditEntry {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actorType: ZAuditActorType.catch("system").parse(row.actorType),
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: ZAuditAction.catch("setting_changed").parse(row.action),
    outcome: row.outcome === "failure" ? "failure" : "success",
    target: row.target,
    ip: row.ip,
    userAgent: row.userAgent,
    details: row.details && typeof row.details === "object" && !Array.isArray(row.details) ? (row.details as Record<string, unknown>) : {},
  };
}
