import "server-only";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { logEvent } from "@/lib/shared/log-event";
import { isDemoMode } from "./is-demo-mode.ts";
import type { TPrincipalResult } from "./principal.ts";
import { recheckGitlabRole } from "./recheck-gitlab-role.ts";
import { revokeUserSessions } from "./revoke-user-sessions.ts";

const system = { type: "system", id: null, label: "custody" } as const;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLAIM_MS = 15_000;
const TOUCH_MS = 60_000;

export type TSessionCheckOptions = {
  /** Re-read the role from GitLab unless it was read after this time (approvals and exports pass "now"). */
  checkedSince?: Date;
  now?: Date;
};

/**
 * Resolves a server-side session to a principal, enforcing revocation, the absolute lifetime, the idle
 * timeout and the role re-check: at most every CUSTODY_ROLE_RECHECK_INTERVAL (or when `checkedSince`
 * demands it) the user's groups are re-read from GitLab. Losing every allowed group ends all the user's
 * sessions ("no-role"); GitLab refusing the session's tokens ends this one ("revoked"). When GitLab does
 * not answer, the last known role is kept for up to three intervals, never for a `checkedSince` check
 * ("unverified"). One instance checks a session at a time (a claim on the row), because GitLab rotates
 * refresh tokens and two concurrent refreshes would kill the session.
 */
export async function getSessionPrincipal(sessionId: string, options: TSessionCheckOptions = {}, attempt = 0): Promise<TPrincipalResult> {
  const env = getEnv();
  const now = options.now ?? new Date();
  if (!uuid.test(sessionId)) return { ok: false, reason: "revoked" };
  const row = await db.session.findUnique({ where: { id: sessionId }, include: { user: true } });
  if (!row) return { ok: false, reason: "revoked" };
  if (row.revokedAt) return { ok: false, reason: row.revokedReason === "no-role" ? "no-role" : "revoked" };
  if (row.expiresAt <= now || now.getTime() - row.lastSeenAt.getTime() > env.CUSTODY_SESSION_IDLE_TIMEOUT * 1000) return { ok: false, reason: "expired" };
  const { user } = row;
  if (user.disabledAt || (user.provider === "demo") !== isDemoMode(env)) return { ok: false, reason: "revoked" };

  let role = user.role;
  if (user.provider === "gitlab") {
    const intervalMs = env.CUSTODY_ROLE_RECHECK_INTERVAL * 1000;
    const due = row.roleCheckedAt.getTime() <= now.getTime() - intervalMs || (options.checkedSince !== undefined && row.roleCheckedAt < options.checkedSince);
    const staleForTooLong = row.roleCheckedAt.getTime() < now.getTime() - 3 * intervalMs;
    if (due) {
      const { count: claimed } = await db.session.updateMany({
        // Claim only if nobody checked since this row was read (then their answer stands).
        where: { id: row.id, roleCheckedAt: { lt: new Date(row.roleCheckedAt.getTime() + 1) }, OR: [{ checkClaimedUntil: null }, { checkClaimedUntil: { lt: now } }] },
        data: { checkClaimedUntil: new Date(now.getTime() + CLAIM_MS) },
      });
      if (!claimed) {
        // Another request is asking GitLab right now. A forced check waits for its answer.
        if (options.checkedSince && attempt < 20) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          return getSessionPrincipal(sessionId, options, attempt + 1);
        }
        if (options.checkedSince || staleForTooLong) return { ok: false, reason: "unverified" };
      } else {
        const result = await recheckGitlabRole({ ...row, subject: user.subject }, now).catch((error: Error) => ({ status: "unavailable" as const, detail: error.message }));
        if (result.status === "denied") {
          await revokeUserSessions(user.id, "gitlab-denied");
          await recordAuditEntry({ actor: system, action: "access_lost", target: user.username, details: { reason: result.reason, sessionId: row.id } });
          return { ok: false, reason: "revoked" };
        }
        if (result.status === "unavailable") {
          logEvent("warn", "auth.role_check_unavailable", { username: user.username, detail: result.detail });
          if (options.checkedSince || staleForTooLong) return { ok: false, reason: "unverified" };
        } else {
          if (result.role === null) {
            await revokeUserSessions(user.id, "no-role");
            await recordAuditEntry({ actor: system, action: "access_lost", target: user.username, details: { reason: "no allowed GitLab group", groups: result.groups, previousRole: role } });
            return { ok: false, reason: "no-role" };
          }
          if (result.role !== role) {
            await recordAuditEntry({ actor: system, action: "role_changed", target: user.username, details: { from: role, to: result.role, groups: result.groups } });
          }
          role = result.role;
        }
      }
    }
  }
  if (!role) return { ok: false, reason: "no-role" };
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_MS) {
    await db.session.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return {
    ok: true,
    principal: {
      kind: "user",
      userId: user.id,
      sessionId: row.id,
      provider: user.provider === "demo" ? "demo" : "gitlab",
      username: user.username,
      name: user.name,
      role,
    },
  };
}
