import "server-only";
import { db } from "@/lib/db";
import type { TRole } from "@/lib/contracts/roles";
import { hashApiToken } from "./hash-api-token.ts";

const tokenPattern = /^cst_[A-Za-z0-9_-]{43}$/;

export type TApiTokenCheck =
  | { ok: true; token: { id: string; name: string; role: TRole } }
  | { ok: false; reason: "invalid-token" | "revoked" | "expired" };

/**
 * Checks a presented API token against the stored hashes. A malformed token is refused without a
 * database lookup. Records use at most once a minute (lastUsedAt), to keep reads cheap.
 */
export async function verifyApiToken(presented: string, now = new Date()): Promise<TApiTokenCheck> {
  if (!tokenPattern.test(presented)) return { ok: false, reason: "invalid-token" };
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(presented) } });
  if (!row) return { ok: false, reason: "invalid-token" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: "expired" };
  await db.apiToken.updateMany({
    where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
  return { ok: true, token: { id: row.id, name: row.name, role: row.role } };
}
