import type { TApiTokenSummary } from "@/lib/contracts/api-tokens";
import type { TRole } from "@/lib/contracts/roles";

type TRow = {
  id: string;
  name: string;
  prefix: string;
  role: TRole;
  createdAt: Date;
  createdByLabel: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

/** The listable shape of a stored token (never its hash). */
export function toApiTokenSummary(row: TRow, now = new Date()): TApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdByLabel,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    status: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
  };
}
