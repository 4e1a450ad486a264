import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { TCreatedApiToken } from "@/lib/contracts/api-tokens";
import type { TRole } from "@/lib/contracts/roles";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import type { TAuditActor } from "@/lib/audit/audit-actor";
import { hashApiToken } from "./hash-api-token.ts";
import { toApiTokenSummary } from "./to-api-token-summary.ts";

/**
 * Creates an API token and returns it once: only its SHA-256 and a display prefix are stored.
 * `expiresInSeconds` null means it never expires. Records `token_created`.
 */
export async function createApiToken(input: {
  name: string;
  role: TRole;
  expiresInSeconds: number | null;
  actor: TAuditActor;
  ip?: string | null;
  userAgent?: string | null;
}): Promise<TCreatedApiToken> {
  const token = `cst_${randomBytes(32).toString("base64url")}`;
  const row = await db.apiToken.create({
    data: {
      name: input.name,
      prefix: token.slice(0, 12),
      tokenHash: hashApiToken(token),
      role: input.role,
      createdByLabel: input.actor.label,
      createdByUserId: input.actor.type === "user" ? input.actor.id : null,
      expiresAt: input.expiresInSeconds === null ? null : new Date(Date.now() + input.expiresInSeconds * 1000),
    },
  });
  await recordAuditEntry({
    actor: input.actor,
    action: "token_created",
    target: `${row.name} (${row.prefix}…)`,
    ip: input.ip,
    userAgent: input.userAgent,
    details: { tokenId: row.id, role: row.role, expiresAt: row.expiresAt?.toISOString() ?? null },
  });
  return { token, summary: toApiTokenSummary(row) };
}
