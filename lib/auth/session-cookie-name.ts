import "server-only";
import { getEnv } from "@/lib/env";

/**
 * The session cookie's name: `__Host-` prefixed when Custody is served over https (the browser then
 * insists on Secure, Path=/ and no Domain), plain on http (demo mode on loopback, tests).
 */
export function sessionCookieName(): string {
  return getEnv().NEXTAUTH_URL?.startsWith("https://") ? "__Host-custody.session-token" : "custody.session-token";
}
