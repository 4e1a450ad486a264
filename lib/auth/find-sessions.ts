import "server-only";
import { db } from "@/lib/db";
import type { TSessionSummary } from "@/lib/contracts/sessions";

/** Live sessions (not revoked, not past their absolute lifetime), most recently used first. */
export async function findSessions(currentSessionId: string | null): Promise<{ items: TSessionSummary[] }> {
  const rows = await db.session.findMany({
    where: { revokedAt: null, expiresAt: { gt: new Date() } },
    include: { user: { select: { username: true, provider: true, role: true } } },
    orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
    take: 500,
  });
  return {
    items: rows.map((row) => ({
      id: row.id,
      username: row.user.username,
      provider: row.user.provider,
      role: row.user.role,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      ip: row.ip,
      userAgent: row.userAgent,
      current: row.id === currentSessionId,
    })),
  };
}
