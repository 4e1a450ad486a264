// Every request except static assets passes here first (Next.js 16 "proxy", Node.js runtime).
// Pages are checked against lib/auth/route-policy.ts with the full session check (revocation,
// timeouts, GitLab re-check), because client-side navigation re-renders pages but not layouts.
// API routes guard themselves (lib/http/define-route.ts); public, webhook and ingest routes are
// never redirected; an API path missing from the policy answers 404.
import { NextResponse, type NextRequest } from "next/server";
import { decidePageAccess } from "@/lib/auth/decide-page-access";
import { findRoutePolicy } from "@/lib/auth/find-route-policy";
import { forbiddenPageResponse } from "@/lib/http/forbidden-page-response";
import { problemResponse } from "@/lib/http/problem-response";

export async function proxy(request: NextRequest): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    const match = findRoutePolicy(pathname);
    if (!match || match.entry.type !== "api") return problemResponse(404, "Not found", "No such API route.");
    return NextResponse.next();
  }
  const decision = await decidePageAccess(pathname, search, request.headers);
  if (decision.action === "redirect") return NextResponse.redirect(new URL(decision.location, request.url), 307);
  if (decision.action === "rate-limited") {
    return new Response("Too many requests", { status: 429, headers: { "Retry-After": String(decision.retryAfterSeconds), "Content-Type": "text/plain" } });
  }
  if (decision.action === "forbid") return forbiddenPageResponse(decision.required, decision.role);
  return NextResponse.next();
}

export const config = {
  // Webhook and ingest routes authenticate themselves and are the hot path: they skip the proxy.
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|robots\\.txt|api/webhooks/|api/ingest/).*)"],
};
