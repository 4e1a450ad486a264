import { encode } from "next-auth/jwt";
import type pg from "pg";
import { resetEnvCache } from "@/lib/env";
import { createSession, type TSignInIdentity } from "@/lib/auth/create-session";

export const appOrigin = "http://custody.test";
export const sessionSecret = "test-session-secret-0123456789-0123456789";

/** Auth settings for in-process tests (demo mode unless GitLab settings are passed). */
export function configureAuth(extra: Record<string, string | undefined> = {}): void {
  for (const name of ["GITLAB_URL", "GITLAB_CLIENT_ID", "GITLAB_CLIENT_SECRET", "CUSTODY_ADMIN_GROUPS", "CUSTODY_APPROVER_GROUPS", "CUSTODY_AUDITOR_GROUPS", "CUSTODY_VIEWER_GROUPS", "CUSTODY_TOKEN_RATE_LIMIT", "CUSTODY_SIGNIN_RATE_LIMIT", "CUSTODY_ROLE_RECHECK_INTERVAL", "CUSTODY_SESSION_IDLE_TIMEOUT", "CUSTODY_SESSION_MAX_AGE"]) {
    delete process.env[name];
  }
  Object.assign(process.env, { NEXTAUTH_SECRET: sessionSecret, NEXTAUTH_URL: appOrigin });
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
}

export const demoAdmin: TSignInIdentity = { provider: "demo", subject: "local-admin", username: "local-admin", name: "Local admin", email: null, groups: [], role: "admin" };

/** A real server-side session and the cookie a browser would hold for it (what next-auth writes at sign-in). */
export async function signedInCookie(
  identity: TSignInIdentity = demoAdmin,
  gitlab?: { accessToken: string; refreshToken: string | null; expiresAt: Date | null },
): Promise<{ cookie: string; sessionId: string; userId: string }> {
  const { sessionId, userId } = await createSession({ identity, gitlab, ip: "198.51.100.7", userAgent: "vitest" });
  const token = await encode({ token: { sid: sessionId }, secret: sessionSecret, maxAge: 3600 });
  return { cookie: `custody.session-token=${token}`, sessionId, userId };
}

export async function truncateAuth(pool: pg.Pool): Promise<void> {
  await pool.query("TRUNCATE session, app_user, api_token, audit_entry, rate_limit CASCADE");
  await pool.query("DELETE FROM timeline_event WHERE source = 'custody'");
}
