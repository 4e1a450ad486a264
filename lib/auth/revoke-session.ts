import "server-only";
import { db } from "@/lib/db";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TAuditActor } from "@/lib/audit/audit-actor";

/**
 * Ends one session: its cookie stops working at the next request. `sign_out` when its owner signs out,
 * `session_revoked` when an admin ends it. Idempotent; false when there was no live session to end.
 */
export async function revokeSession(input: {
  sessionId: string;
  action: "sign_out" | "session_revoked";
  /** Who ended it; the session's own user when omitted (signing out). */
  actor?: TAuditActor;
  ip?: string | null;
  userAgent?: string | null;
}): Promise<boolean> {
  const session = await db.session.findUnique({ where: { id: input.sessionId }, include: { user: { select: { id: true, username: true } } } });
  if (!session || session.revokedAt) return false;
  const actor = input.actor ?? { type: "user", id: session.user.id, label: session.user.username };
  const { count } = await db.session.updateMany({
    where: { id: input.sessionId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: input.action === "sign_out" ? "signed-out" : `revoked by ${actor.label}` },
  });
  if (count === 0) return false;
  await recordAuditEntry({
    actor,
    action: input.action,
    target: session.user.username,
    ip: input.ip,
    userAgent: input.userAgent,
    details: { sessionId: session.id },
  });
  return true;
}
