import "server-only";
import { getEnv } from "@/lib/env";
import { ZGitlabUserinfo, type TGitlabUserinfo } from "@/lib/contracts/gitlab-userinfo";

export type TUserinfoResult =
  | { status: "ok"; userinfo: TGitlabUserinfo }
  | { status: "unauthorized" }
  | { status: "unavailable"; detail: string };

/**
 * GET {GITLAB_URL}/oauth/userinfo with the user's access token. "unauthorized" means GitLab refused the
 * token (expired, revoked, user blocked); "unavailable" means GitLab could not answer (network, 5xx, garbage).
 */
export async function fetchGitlabUserinfo(accessToken: string): Promise<TUserinfoResult> {
  let response: Response;
  try {
    response = await fetch(`${getEnv().GITLAB_URL}/oauth/userinfo`, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
      signal: AbortSignal.timeout(5_000),
      cache: "no-store",
    });
  } catch (error) {
    return { status: "unavailable", detail: (error as Error).message };
  }
  if (response.status === 401 || response.status === 403) return { status: "unauthorized" };
  if (!response.ok) return { status: "unavailable", detail: `HTTP ${response.status}` };
  const parsed = ZGitlabUserinfo.safeParse(await response.json().catch(() => null));
  return parsed.success ? { status: "ok", userinfo: parsed.data } : { status: "unavailable", detail: "userinfo is not in GitLab's shape" };
}
