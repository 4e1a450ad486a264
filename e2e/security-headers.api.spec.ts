import { expect, test } from "@playwright/test";
import { appUrl } from "./support/gitlab.ts";
import { signInOverHttp } from "./support/sign-in.ts";

// Every kind of answer carries the security headers: pages, redirects to sign-in, API JSON, problem
// responses from the proxy, 403 pages and next-auth's own endpoints.
test("security headers are on every kind of response", async () => {
  const viewer = await signInOverHttp("dave");
  const cases: [string, Record<string, string>, number][] = [
    ["/", {}, 307],
    ["/sign-in", {}, 200],
    ["/timeline", { cookie: viewer }, 200],
    ["/settings", { cookie: viewer }, 403],
    ["/api/health", {}, 200],
    ["/api/v1/deployments", {}, 401],
    ["/api/v1/no-such-route", {}, 404],
    ["/api/auth/providers", {}, 200],
    ["/no-such-page", { cookie: viewer }, 404],
  ];
  for (const [path, headers, status] of cases) {
    const response = await fetch(`${appUrl}${path}`, { headers, redirect: "manual" });
    expect(response.status, path).toBe(status);
    const h = response.headers;
    expect(h.get("content-security-policy"), path).toMatch(/frame-ancestors 'none'/);
    expect(h.get("content-security-policy"), path).toMatch(/object-src 'none'/);
    expect(h.get("content-security-policy"), path).toMatch(/base-uri 'none'/);
    expect(h.get("strict-transport-security"), path).toMatch(/max-age=(\d{8,})/);
    expect(h.get("x-content-type-options"), path).toBe("nosniff");
    expect(h.get("referrer-policy"), path).toBe("same-origin");
    expect(h.get("x-frame-options"), path).toBe("DENY");
    expect(h.get("x-powered-by"), path).toBeNull();
    expect(h.get("access-control-allow-origin"), path).toBeNull();
  }
});

test("session and next-auth cookies are HttpOnly and SameSite=Lax", async () => {
  const csrf = await fetch(`${appUrl}/api/auth/csrf`);
  for (const cookie of csrf.headers.getSetCookie()) {
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  }
});
