import "server-only";
import type { TRole } from "@/lib/contracts/roles";
import { roleAllows } from "@/lib/shared/role-allows";
import { findRoutePolicy } from "./find-route-policy.ts";
import { resolvePrincipal } from "./resolve-principal.ts";

export type TPageDecision =
  | { action: "allow" }
  | { action: "redirect"; location: string }
  | { action: "forbid"; required: TRole; role: TRole }
  | { action: "rate-limited"; retryAfterSeconds: number };

/**
 * Whether a page request may proceed, per lib/auth/route-policy.ts. Anonymous, expired and revoked
 * callers go to sign-in (coming back here afterwards); callers with no allowed GitLab group go to
 * /no-access; a role that is too low is forbidden. A page missing from the policy needs a sign-in.
 */
export async function decidePageAccess(pathname: string, search: string, headers: Headers): Promise<TPageDecision> {
  const match = findRoutePolicy(pathname);
  const access = match?.entry.type === "page" ? match.entry.access : "viewer";
  if (access === "public" || access === "sign-in" || access === "webhook-secret" || access === "ingest-token") return { action: "allow" };
  const result = await resolvePrincipal(headers);
  if (!result.ok) {
    if (result.reason === "rate-limited") return { action: "rate-limited", retryAfterSeconds: result.retryAfterSeconds };
    if (result.reason === "no-role") return { action: "redirect", location: "/no-access?reason=removed" };
    const reason = result.reason === "anonymous" ? "" : `&reason=${result.reason}`;
    return { action: "redirect", location: `/sign-in?callbackUrl=${encodeURIComponent(`${pathname}${search}`)}${reason}` };
  }
  if (!roleAllows(result.principal.role, access)) return { action: "forbid", required: access, role: result.principal.role };
  return { action: "allow" };
}
