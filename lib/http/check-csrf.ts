import "server-only";
import { getEnv } from "@/lib/env";
import { csrfHeader } from "@/lib/contracts/csrf";

const stateChanging = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Why a cookie-authenticated request might be forged, or null when it is not. State-changing methods
 * must come from Custody's own origin (Sec-Fetch-Site same-origin when the browser sends it, and an
 * Origin equal to NEXTAUTH_URL's, never missing or "null"), carry the custom header, and declare JSON
 * bodies (text/plain, urlencoded and multipart are what a cross-site form can send without a preflight).
 */
export function checkCsrf(request: Request): string | null {
  if (!stateChanging.has(request.method.toUpperCase())) return null;
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin") return `cross-site request (Sec-Fetch-Site: ${fetchSite})`;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return "the Origin header is missing";
  const configured = getEnv().NEXTAUTH_URL;
  const expected = configured ? new URL(configured).origin : new URL(request.url).origin;
  if (origin !== expected) return `the request comes from another origin (${origin.slice(0, 100)})`;
  if (request.headers.get(csrfHeader) !== "1") return `the ${csrfHeader} header is missing`;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const needsJson = request.method.toUpperCase() !== "DELETE" || type !== "";
  if (needsJson && type !== "application/json") return `the body must be application/json (got ${type || "no Content-Type"})`;
  return null;
}
