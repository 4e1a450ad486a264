import "server-only";
import { getEnv } from "@/lib/env";
import { consumeRateLimit } from "./consume-rate-limit.ts";
import { getClientAddress } from "./get-client-address.ts";
import { getSessionPrincipal, type TSessionCheckOptions } from "./get-session-principal.ts";
import type { TPrincipalResult } from "./principal.ts";
import { readSessionId } from "./read-session-id.ts";
import { verifyApiToken } from "./verify-api-token.ts";

/**
 * Who sent a request: `Authorization: Bearer <token>` when present (cookies are then ignored), else
 * the next-auth session cookie. Each token may be used CUSTODY_TOKEN_RATE_LIMIT times a minute; an
 * address presenting tokens Custody never issued counts them against CUSTODY_SIGNIN_RATE_LIMIT, like
 * sign-in attempts (revoked and expired tokens are known, so they are refused without counting).
 */
export async function resolvePrincipal(headers: Headers, options: TSessionCheckOptions = {}): Promise<TPrincipalResult> {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const presented = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization)?.[1];
    const check = presented ? await verifyApiToken(presented) : ({ ok: false, reason: "invalid-token" } as const);
    if (!check.ok) {
      if (check.reason !== "invalid-token") return { ok: false, reason: check.reason };
      const limit = await consumeRateLimit(`signin:${getClientAddress(headers).ip ?? "unknown"}`, getEnv().CUSTODY_SIGNIN_RATE_LIMIT);
      return limit.allowed ? { ok: false, reason: check.reason } : { ok: false, reason: "rate-limited", retryAfterSeconds: limit.retryAfterSeconds };
    }
    const limit = await consumeRateLimit(`token:${check.token.id}`, getEnv().CUSTODY_TOKEN_RATE_LIMIT);
    if (!limit.allowed) return { ok: false, reason: "rate-limited", retryAfterSeconds: limit.retryAfterSeconds };
    return { ok: true, principal: { kind: "token", tokenId: check.token.id, name: check.token.name, role: check.token.role } };
  }
  const sessionId = await readSessionId(headers);
  if (!sessionId) return { ok: false, reason: "anonymous" };
  return getSessionPrincipal(sessionId, options);
}
