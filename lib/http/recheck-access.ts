import "server-only";
import type { TRole } from "@/lib/contracts/roles";
import { resolvePrincipal } from "@/lib/auth/resolve-principal";
import { roleAllows } from "@/lib/shared/role-allows";

/**
 * For a response that stays open (a live stream): does the request's session or token still carry
 * `required`? Null while it does; otherwise why not. A role that could not be verified just now
 * (GitLab unreachable) or a rate-limited token keeps the stream open: the next check decides.
 */
export async function recheckAccess(headers: Headers, required: TRole): Promise<string | null> {
  const result = await resolvePrincipal(headers);
  if (!result.ok) return result.reason === "unverified" || result.reason === "rate-limited" ? null : result.reason;
  return roleAllows(result.principal.role, required) ? null : "forbidden";
}
