import "server-only";
import { getEnv } from "@/lib/env";
import type { TRoleGroups } from "./map-groups-to-role.ts";
import { isDemoMode } from "./is-demo-mode.ts";
import { roleGroupsFromEnv } from "./role-groups-from-env.ts";

/** How sign-in is set up, for the sign-in, no-access and settings pages (no secrets). */
export function getSignInConfig(): {
  demo: boolean;
  gitlabUrl: string;
  roleGroups: TRoleGroups;
  sessionMaxAgeSeconds: number;
  sessionIdleSeconds: number;
  roleRecheckSeconds: number;
} {
  const env = getEnv();
  return {
    demo: isDemoMode(env),
    gitlabUrl: env.GITLAB_URL,
    roleGroups: roleGroupsFromEnv(),
    sessionMaxAgeSeconds: env.CUSTODY_SESSION_MAX_AGE,
    sessionIdleSeconds: env.CUSTODY_SESSION_IDLE_TIMEOUT,
    roleRecheckSeconds: env.CUSTODY_ROLE_RECHECK_INTERVAL,
  };
}
