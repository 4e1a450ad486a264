import type { TEnv } from "@/lib/env";

/** Demo mode: GitLab sign-in is not configured, so the only way in is the one-click local admin. */
export function isDemoMode(env: Pick<TEnv, "GITLAB_CLIENT_ID">): boolean {
  return !env.GITLAB_CLIENT_ID;
}
