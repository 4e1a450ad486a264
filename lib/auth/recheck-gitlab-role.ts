import "server-only";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { TRole } from "@/lib/contracts/roles";
import { fetchGitlabUserinfo } from "./fetch-gitlab-userinfo.ts";
import { mapGroupsToRole } from "./map-groups-to-role.ts";
import { openSealedSecret } from "./open-sealed-secret.ts";
import { refreshGitlabTokens } from "./refresh-gitlab-tokens.ts";
import { roleGroupsFromEnv } from "./role-groups-from-env.ts";
import { sealSecret } from "./seal-secret.ts";

export type TRecheckResult =
  | { status: "ok"; role: TRole | null; groups: string[] }
  | { status: "denied"; reason: string }
  | { status: "unavailable"; detail: string };

type TSessionTokens = {
  id: string;
  userId: string;
  subject: string;
  gitlabAccessToken: string | null;
  gitlabRefreshToken: string | null;
  gitlabTokenExpiresAt: Date | null;
};

/**
 * Re-reads the user's groups from GitLab's userinfo with the session's access token, refreshing it
 * first when it has expired (or once when GitLab refuses it), and stores the result: the user's role
 * and groups, the session's rotated tokens and its check time. "denied" means GitLab no longer
 * accepts this session (token revoked, user blocked or deleted); "unavailable" means GitLab did not
 * answer and nothing was learned.
 */
export async function recheckGitlabRole(session: TSessionTokens, now = new Date()): Promise<TRecheckResult> {
  const secret = getEnv().NEXTAUTH_SECRET ?? "";
  let accessToken = session.gitlabAccessToken ? openSealedSecret(session.gitlabAccessToken, secret) : null;
  let refreshToken = session.gitlabRefreshToken ? openSealedSecret(session.gitlabRefreshToken, secret) : null;
  let expiresAt = session.gitlabTokenExpiresAt;
  let refreshed = false;
  if (!accessToken && !refreshToken) return { status: "denied", reason: "the session holds no readable GitLab token" };

  const refresh = async (): Promise<TRecheckResult | null> => {
    if (!refreshToken) return { status: "denied", reason: "GitLab refused the access token and there is no refresh token" };
    const result = await refreshGitlabTokens(refreshToken);
    if (result.status === "refused") return { status: "denied", reason: "GitLab refused to renew the session's tokens" };
    if (result.status === "unavailable") return result;
    accessToken = result.accessToken;
    refreshToken = result.refreshToken;
    expiresAt = result.expiresAt;
    refreshed = true;
    // Store the rotated tokens at once: the old refresh token is already dead at GitLab.
    await db.session.update({
      where: { id: session.id },
      data: { gitlabAccessToken: sealSecret(accessToken, secret), gitlabRefreshToken: sealSecret(refreshToken, secret), gitlabTokenExpiresAt: expiresAt },
    });
    return null;
  };

  if (!accessToken || (expiresAt && expiresAt.getTime() <= now.getTime() + 30_000)) {
    const failed = await refresh();
    if (failed) return failed;
  }
  let info = await fetchGitlabUserinfo(accessToken!);
  if (info.status === "unauthorized" && !refreshed) {
    const failed = await refresh();
    if (failed) return failed;
    info = await fetchGitlabUserinfo(accessToken!);
  }
  if (info.status === "unauthorized") return { status: "denied", reason: "GitLab refused the session's access token" };
  if (info.status === "unavailable") return info;
  if (info.userinfo.sub !== session.subject) return { status: "denied", reason: "GitLab answered for a different user" };

  const groups = info.userinfo.groups;
  const role = mapGroupsToRole(groups, roleGroupsFromEnv());
  await db.$transaction([
    db.user.update({
      where: { id: session.userId },
      data: {
        role,
        groups,
        checkedAt: now,
        username: info.userinfo.nickname ?? info.userinfo.preferred_username ?? undefined,
        name: info.userinfo.name ?? undefined,
        email: info.userinfo.email ?? undefined,
      },
    }),
    db.session.update({ where: { id: session.id }, data: { roleCheckedAt: now, checkClaimedUntil: null } }),
  ]);
  return { status: "ok", role, groups };
}
