import "server-only";
import { db, getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { TRole } from "@/lib/contracts/roles";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { linkAccounts } from "@/lib/people/link-accounts";
import { logEvent } from "@/lib/shared/log-event";
import { sealSecret } from "./seal-secret.ts";

export class SignInRefusedError extends Error {}

export type TSignInIdentity = {
  provider: "gitlab" | "demo";
  subject: string;
  username: string;
  name: string | null;
  email: string | null;
  groups: string[];
  role: TRole;
};

/**
 * Starts a server-side session at sign-in: upserts the user by (provider, subject), stores a new
 * session (a new id at every sign-in) with the GitLab tokens sealed, and records `sign_in`. The
 * session ends after CUSTODY_SESSION_MAX_AGE whatever happens. Throws SignInRefusedError for a user
 * an admin disabled.
 */
export async function createSession(input: {
  identity: TSignInIdentity;
  gitlab?: { accessToken: string; refreshToken: string | null; expiresAt: Date | null };
  ip: string | null;
  userAgent: string | null;
}): Promise<{ sessionId: string; userId: string }> {
  const env = getEnv();
  const { identity } = input;
  const now = new Date();
  const user = await db.user.upsert({
    where: { provider_subject: { provider: identity.provider, subject: identity.subject } },
    create: { ...identity, checkedAt: now, lastSignInAt: now },
    update: { username: identity.username, name: identity.name, email: identity.email, groups: identity.groups, role: identity.role, checkedAt: now, lastSignInAt: now },
  });
  if (user.disabledAt) throw new SignInRefusedError(`${user.username} is disabled in Custody`);
  const secret = env.NEXTAUTH_SECRET ?? "";
  const session = await db.session.create({
    data: {
      userId: user.id,
      expiresAt: new Date(now.getTime() + env.CUSTODY_SESSION_MAX_AGE * 1000),
      roleCheckedAt: now,
      gitlabAccessToken: input.gitlab ? sealSecret(input.gitlab.accessToken, secret) : null,
      gitlabRefreshToken: input.gitlab?.refreshToken ? sealSecret(input.gitlab.refreshToken, secret) : null,
      gitlabTokenExpiresAt: input.gitlab?.expiresAt ?? null,
      ip: input.ip,
      userAgent: input.userAgent,
    },
  });
  await recordAuditEntry({
    actor: { type: "user", id: user.id, label: user.username },
    action: "sign_in",
    target: user.username,
    ip: input.ip,
    userAgent: input.userAgent,
    details: { provider: identity.provider, role: identity.role, groups: identity.groups, sessionId: session.id },
  });
  if (identity.provider === "gitlab") {
    // The SSO email is the strongest evidence tying Buildkite accounts to this GitLab user. Linking
    // must never stop a sign-in; the next ingest pass retries it.
    await linkAccounts(getPool()).catch((error: Error) => logEvent("error", "people.link_failed", { error: error.message }));
  }
  return { sessionId: session.id, userId: user.id };
}
