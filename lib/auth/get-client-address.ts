import "server-only";
import { getEnv } from "@/lib/env";

/**
 * The caller's address and user agent for audit entries and rate limits. Next.js puts the socket
 * address in X-Forwarded-For unless the client sent one; with CUSTODY_TRUSTED_PROXY_HOPS=n the entry
 * n places from the right (the one our nearest trusted proxy appended) is used. With no proxy a client
 * can choose what it sends, which is why per-token limits never depend on it.
 */
export function getClientAddress(headers: Headers): { ip: string | null; userAgent: string | null } {
  const hops = getEnv().CUSTODY_TRUSTED_PROXY_HOPS;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = chain.length ? (chain[Math.max(0, chain.length - 1 - hops)] ?? null) : null;
  return { ip: ip ? ip.slice(0, 64) : null, userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
