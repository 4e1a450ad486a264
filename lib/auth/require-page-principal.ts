import "server-only";
import { notFound, redirect } from "next/navigation";
import type { TRole } from "@/lib/contracts/roles";
import { roleAllows } from "@/lib/shared/role-allows";
import { getRequestPrincipal } from "./get-request-principal.ts";
import type { TPrincipal } from "./principal.ts";

/**
 * The signed-in principal for a page that needs `role`; redirects to sign-in when there is none and
 * answers 404 for a role that is too low. A second line behind the proxy (which answers 403 first),
 * for pages that use the principal.
 */
export async function requirePagePrincipal(role: TRole, path: string): Promise<TPrincipal> {
  const principal = await getRequestPrincipal();
  if (!principal) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  if (!roleAllows(principal.role, role)) notFound();
  return principal;
}
