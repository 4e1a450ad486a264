import "server-only";
import type { TRole } from "@/lib/contracts/roles";
import { getClientAddress } from "@/lib/auth/get-client-address";
import type { TPrincipal } from "@/lib/auth/principal";
import { resolvePrincipal } from "@/lib/auth/resolve-principal";
import { sessionCookieName } from "@/lib/auth/session-cookie-name";
import { routePolicy, type TMethod, type TRoutePattern, type TRoutePolicyEntry } from "@/lib/auth/route-policy";
import { roleAllows } from "@/lib/shared/role-allows";
import { logEvent } from "@/lib/shared/log-event";
import { checkCsrf } from "./check-csrf.ts";
import { problemResponse } from "./problem-response.ts";

export type TRouteContext<P> = { principal: TPrincipal; params: P; client: { ip: string | null; userAgent: string | null } };

const unauthorizedDetail: Record<string, string> = {
  anonymous: "Sign in, or send Authorization: Bearer <token>.",
  "invalid-token": "The API token is not valid.",
  revoked: "The session or API token has been revoked.",
  expired: "The session or API token has expired.",
  "no-role": "You are not in any GitLab group that grants access to Custody.",
};

/**
 * Wraps an /api/v1 route handler in the one access check every such route uses. The role comes from
 * lib/auth/route-policy.ts for (pattern, method); a route missing there fails at import, so the build.
 * In order: no credentials at all (401), CSRF for cookie requests that change state (403), then the
 * session or bearer token (401, 429 when rate-limited, 503 when the role could not be verified), then
 * the role (403). With
 * `recheckRole` a session's GitLab groups are re-read before the handler runs (approvals, exports).
 * Errors become a generic 500 without internals.
 */
export function defineRoute<P = Record<string, never>>(
  pattern: TRoutePattern,
  method: TMethod,
  handler: (request: Request, context: TRouteContext<P>) => Promise<Response>,
  options: { recheckRole?: boolean } = {},
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  const entry: TRoutePolicyEntry = routePolicy[pattern];
  const access = entry.type === "api" ? entry.methods[method] : undefined;
  if (!access || !["viewer", "auditor", "approver", "admin"].includes(access)) {
    throw new Error(`${method} ${pattern} needs a role in lib/auth/route-policy.ts to use defineRoute`);
  }
  const required = access as TRole;

  return async (request, context) => {
    const client = getClientAddress(request.headers);
    const usesToken = request.headers.has("authorization");
    const usesCookie = !usesToken && (request.headers.get("cookie") ?? "").includes(`${sessionCookieName()}=`);
    if (!usesToken && !usesCookie) {
      return problemResponse(401, "Unauthorized", unauthorizedDetail.anonymous!, { "WWW-Authenticate": `Bearer realm="custody"` });
    }
    // A bearer token is never sent by a browser on its own, so only cookie requests can be forged.
    const forged = usesCookie ? checkCsrf(request) : null;
    if (forged) {
      logEvent("warn", "auth.csrf_refused", { method, route: pattern, reason: forged, ip: client.ip });
      return problemResponse(403, "Forbidden", `Refused as a possible cross-site request: ${forged}.`);
    }
    const result = await resolvePrincipal(request.headers, options.recheckRole ? { checkedSince: new Date() } : {});
    if (!result.ok) {
      if (result.reason === "rate-limited") {
        return problemResponse(429, "Too many requests", "Slow down and retry later.", { "Retry-After": String(result.retryAfterSeconds) });
      }
      if (result.reason === "unverified") {
        return problemResponse(503, "Role not verified", "Your GitLab group membership could not be checked; retry shortly.", { "Retry-After": "10" });
      }
      const challenge = usesToken ? `Bearer realm="custody", error="invalid_token"` : `Bearer realm="custody"`;
      return problemResponse(401, "Unauthorized", unauthorizedDetail[result.reason] ?? "Sign in first.", { "WWW-Authenticate": challenge });
    }
    const { principal } = result;
    if (!roleAllows(principal.role, required)) {
      logEvent("warn", "auth.forbidden", { method, route: pattern, role: principal.role, required, actor: principal.kind === "user" ? principal.username : principal.name });
      const detail =
        options.recheckRole && principal.kind === "user"
          ? `Your GitLab groups were re-checked just now and no longer grant the ${required} role (you have ${principal.role}). If your groups changed since you signed in, ask a GitLab group owner.`
          : `This needs the ${required} role; you have ${principal.role}.`;
      return problemResponse(403, "Forbidden", detail);
    }
    try {
      return await handler(request, { principal, params: (await context.params) ?? ({} as P), client });
    } catch (error) {
      logEvent("error", "http.unhandled", { method, route: pattern, error: (error as Error).message });
      return problemResponse(500, "Internal error", "Something went wrong; it has been logged.");
    }
  };
}
