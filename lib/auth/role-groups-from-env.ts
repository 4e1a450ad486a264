import "server-only";
import { getEnv } from "@/lib/env";
import type { TRoleGroups } from "./map-groups-to-role.ts";

/** Which GitLab groups grant which role, from CUSTODY_{ADMIN,APPROVER,AUDITOR,VIEWER}_GROUPS. */
export function roleGroupsFromEnv(): TRoleGroups {
  const env = getEnv();
  return {
    admin: env.CUSTODY_ADMIN_GROUPS,
    approver: env.CUSTODY_APPROVER_GROUPS,
    auditor: env.CUSTODY_AUDITOR_GROUPS,
    viewer: env.CUSTODY_VIEWER_GROUPS,
  };
}
