import "server-only";
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { recordAuditEntry } from "@/lib/audit/record-audit-entry";
import { problemResponse } from "@/lib/http/problem-response";
import { logEvent } from "@/lib/shared/log-event";
import { buildAuthOptions, type TSignInAttempt } from "./build-auth-options.ts";
import { consumeRateLimit } from "./consume-rate-limit.ts";
import { getClientAddress } from "./get-client-address.ts";
import { sessionCookieName } from "./session-cookie-name.ts";

/**
 * next-auth's endpoints (/api/auth/*) with Custody around them: sign-in attempts (starting one, and
 * every callback) are limited to CUSTODY_SIGNIN_RATE_LIMIT per client address per minute, and a
 * callback that does not end with a session cookie is recorded as `sign_in_failed` with the reason.
 * Successful sign-ins are recorded where the session is created.
 */
export async function handleAuthRequest(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  const { nextauth } = await context.params;
  const [action, providerId] = nextauth;
  const client = getClientAddress(request.headers);
  const attempt: TSignInAttempt = { ...client };
  const isAttempt = action === "callback" || (action === "signin" && request.method === "POST");
  if (isAttempt) {
    const limit = await consumeRateLimit(`signin:${client.ip ?? "unknown"}`, getEnv().CUSTODY_SIGNIN_RATE_LIMIT);
    if (!limit.allowed) {
      logEvent("warn", "auth.signin_rate_limited", { ip: client.ip });
      return request.method === "GET"
        ? new Response(null, { status: 303, headers: { Location: "/sign-in?error=RateLimited", "Retry-After": String(limit.retryAfterSeconds) } })
        : problemResponse(429, "Too many sign-in attempts", "Wait a minute and try again.", { "Retry-After": String(limit.retryAfterSeconds) });
    }
  }
  const response: Response = await NextAuth(request, context, buildAuthOptions(attempt));
  if (action === "callback") {
    const cookieName = sessionCookieName();
    const signedIn = response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${cookieName}=`) && !cookie.startsWith(`${cookieName}=;`));
    if (!signedIn) {
      const location = response.headers.get("location") ?? "";
      const error = /[?&]error=([^&]+)/.exec(location)?.[1];
      await recordAuditEntry({
        actor: { type: "anonymous", id: attempt.subject ?? null, label: attempt.username ?? "unknown" },
        action: "sign_in_failed",
        outcome: "failure",
        target: attempt.username ?? null,
        ip: client.ip,
        userAgent: client.userAgent,
        details: { provider: providerId ?? null, reason: attempt.refusal ?? (error ? decodeURIComponent(error) : "sign-in did not complete"), groups: attempt.groups ?? null },
      });
    }
  }
  return response;
}
