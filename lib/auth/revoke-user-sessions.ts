import "server-only";
import { db } from "@/lib/db";

/** Ends every live session of a user at once (lost access, blocked in GitLab). Returns how many ended. */
export async function revokeUserSessions(userId: string, reason: string): Promise<number> {
  const { count } = await db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
  return count;
}
