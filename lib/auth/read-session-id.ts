import "server-only";
import { decode } from "next-auth/jwt";
import { getEnv } from "@/lib/env";
import { sessionCookieName } from "./session-cookie-name.ts";

/**
 * The server-side session id inside the request's next-auth cookie, or null when there is no cookie
 * or it does not decrypt with NEXTAUTH_SECRET (tampered, expired, or from another deployment).
 */
export async function readSessionId(headers: Headers): Promise<string | null> {
  const secret = getEnv().NEXTAUTH_SECRET;
  const name = sessionCookieName();
  const cookie = (headers.get("cookie") ?? "")
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`));
  if (!secret || !cookie) return null;
  try {
    const payload = await decode({ token: decodeURIComponent(cookie.slice(name.length + 1)), secret });
    return typeof payload?.sid === "string" ? payload.sid : null;
  } catch {
    return null;
  }
}
