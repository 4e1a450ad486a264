import "server-only";
import { getEnv } from "@/lib/env";
import { roleAllows } from "@/lib/shared/role-allows";
import { findRoutePolicy } from "./find-route-policy.ts";
import { getRequestPrincipal } from "./get-request-principal.ts";
import { isDemoMode } from "./is-demo-mode.ts";

const sections = ["/", "/timeline", "/deploys", "/people", "/approvals", "/reports", "/ingest", "/settings"];

/** What the app shell shows: who is signed in, which sections their role opens, and whether SSO is off. */
export async function getShellState(): Promise<{
  demo: boolean;
  user: { name: string; role: string; kind: "user" | "token" } | null;
  sections: string[];
}> {
  const principal = await getRequestPrincipal();
  const open = (href: string) => {
    const entry = findRoutePolicy(href)?.entry;
    const access = entry?.type === "page" ? entry.access : "admin";
    return principal !== null && (access === "public" || (access !== "sign-in" && access !== "webhook-secret" && access !== "ingest-token" && roleAllows(principal.role, access)));
  };
  return {
    demo: isDemoMode(getEnv()),
    user: principal ? { name: principal.kind === "user" ? principal.username : principal.name, role: principal.role, kind: principal.kind } : null,
    sections: sections.filter(open),
  };
}
