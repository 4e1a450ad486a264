import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import type { TPrincipal } from "./principal.ts";
import { resolvePrincipal } from "./resolve-principal.ts";

/**
 * The principal of the request being rendered (layouts and pages), resolved once per render. The
 * proxy already refused pages this principal may not see; this is for showing who is signed in.
 */
export const getRequestPrincipal = cache(async (): Promise<TPrincipal | null> => {
  const result = await resolvePrincipal(await headers());
  return result.ok ? result.principal : null;
});
