import "server-only";
import { db } from "@/lib/db";
import type { TApiTokenSummary } from "@/lib/contracts/api-tokens";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TAuditActor } from "@/lib/audit/audit-actor";
import { toApiTokenSummary } from "./to-api-token-summary.ts";

/**
 * Revokes a token by id or by its display prefix; it stops working at its next use. Idempotent:
 * revoking a revoked token changes nothing and records nothing. Null when no token matches.
 */
export async function revokeApiToken(input: { idOrPrefix: string; actor: TAuditActor; ip?: string | null; userAgent?: string | null }): Promise<TApiTokenSummary | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.idOrPrefix);
  const row = isUuid
    ? await db.apiToken.findUnique({ where: { id: input.idOrPrefix } })
    : /^cst_[A-Za-z0-9_-]{8}$/.test(input.idOrPrefix)
      ? await db.apiToken.findMany({ where: { prefix: input.idOrPrefix }, take: 2 }).then((rows) => (rows.length === 1 ? rows[0]! : null))
      : null;
  if (!row) return null;
  if (row.revokedAt) return toApiTokenSummary(row);
  const revoked = await db.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date(), revokedByLabel: input.actor.label } });
  await recordAuditEntry({
    actor: input.actor,
    action: "token_revoked",
    target: `${row.name} (${row.prefix}…)`,
    ip: input.ip,
    userAgent: input.userAgent,
    details: { tokenId: row.id, role: row.role },
  });
  return toApiTokenSummary(revoked);
}
