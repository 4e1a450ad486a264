import type { TRole } from "@/lib/contracts/roles";

export type TRoleGroups = Record<TRole, readonly string[]>;

// "Highest" for choosing among several matches; rights are in lib/contracts/roles.ts.
const highestFirst: TRole[] = ["admin", "approver", "auditor", "viewer"];

/**
 * The highest role any of the user's GitLab groups grants, or null for no access. Groups are full paths
 * compared case-insensitively (GitLab paths are case-insensitive); membership of a configured group is
 * exact: `acme` in the configuration does not match a user who is only in `acme/web` (GitLab's `groups`
 * claim already lists every ancestor group the user belongs to through inheritance).
 */
export function mapGroupsToRole(userGroups: readonly string[], roleGroups: TRoleGroups): TRole | null {
  const have = new Set(userGroups.map((g) => g.toLowerCase()));
  for (const role of highestFirst) {
    if (roleGroups[role].some((group) => have.has(group.toLowerCase()))) return role;
  }
  return null;
}
