import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { createApiToken } from "@/lib/auth/create-api-token";
import { revokeApiToken } from "@/lib/auth/revoke-api-token";
import { defineRoute } from "@/lib/http/define-route";
import type { TRole } from "@/lib/contracts/roles";
import { appOrigin, configureAuth, signedInCookie, truncateAuth } from "../support/auth-fixtures.ts";

// The one guard every /api/v1 route uses, exercised with real tokens and sessions in Postgres.

const cli = { type: "cli", id: null, label: "cli:test" } as const;
let calls = 0;
const ok = async () => {
  calls += 1;
  return Response.json({ ok: true });
};
const readAsViewer = defineRoute("/api/v1/deployments", "GET", ok);
const exportAsAuditor = defineRoute("/api/v1/audit/export", "GET", ok);
const createAsAdmin = defineRoute("/api/v1/tokens", "POST", ok);
const deleteAsAdmin = defineRoute("/api/v1/tokens/[id]", "DELETE", ok);
const failing = defineRoute("/api/v1/me", "GET", async () => {
  throw new Error("SELECT secret FROM somewhere failed at /srv/app/lib/x.ts:12");
});

const params = { params: Promise.resolve({}) } as { params: Promise<Record<string, never>> };
const request = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  new Request(`${appOrigin}${path}`, { method: init.method ?? "GET", headers: init.headers, body: init.body });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const token = async (role: TRole, expiresInSeconds: number | null = 3600) => (await createApiToken({ name: `t-${role}`, role, expiresInSeconds, actor: cli })).token;

/** What Custody's own pages send with a state-changing call. */
const sameOrigin = { origin: appOrigin, "sec-fetch-site": "same-origin", "x-custody-request": "1", "content-type": "application/json" };

beforeEach(async () => {
  configureAuth();
  await truncateAuth(getPool());
  calls = 0;
});
afterAll(async () => {
  await truncateAuth(getPool());
  await closeDb();
});

describe("authentication", () => {
  it("an anonymous request is 401 with a Bearer challenge, and the handler never runs", async () => {
    const response = await readAsViewer(request("/api/v1/deployments"), params);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="custody"');
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(calls).toBe(0);
  });

  it("a revoked, an expired, an unknown and a malformed token are each 401 invalid_token", async () => {
    const revoked = await createApiToken({ name: "r", role: "admin", expiresInSeconds: 3600, actor: cli });
    await revokeApiToken({ idOrPrefix: revoked.summary.id, actor: cli });
    const expired = await createApiToken({ name: "e", role: "admin", expiresInSeconds: 3600, actor: cli });
    await db.apiToken.update({ where: { id: expired.summary.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const presented of [revoked.token, expired.token, `cst_${"A".repeat(43)}`, "not-a-token"]) {
      const response = await readAsViewer(request("/api/v1/deployments", { headers: bearer(presented) }), params);
      expect(response.status, presented).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
    expect(calls).toBe(0);
  });

  it("a session cookie authenticates; a revoked, expired, idle or tampered one does not", async () => {
    const live = await signedInCookie();
    expect((await readAsViewer(request("/api/v1/deployments", { headers: { cookie: live.cookie } }), params)).status).toBe(200);

    const revoked = await signedInCookie();
    await db.session.update({ where: { id: revoked.sessionId }, data: { revokedAt: new Date() } });
    const expired = await signedInCookie();
    await db.session.update({ where: { id: expired.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const idle = await signedInCookie();
    await db.session.update({ where: { id: idle.sessionId }, data: { lastSeenAt: new Date(Date.now() - 2 * 3600 * 1000) } });
    const tampered = `${live.cookie.slice(0, -4)}AAAA`;
    for (const cookie of [revoked.cookie, expired.cookie, idle.cookie, tampered]) {
      expect((await readAsViewer(request("/api/v1/deployments", { headers: { cookie } }), params)).status).toBe(401);
    }
    expect(calls).toBe(1);
  });

  it("a demo-mode session stops working once GitLab sign-in is configured", async () => {
    const demo = await signedInCookie();
    configureAuth({ GITLAB_CLIENT_ID: "id", GITLAB_CLIENT_SECRET: "secret", CUSTODY_VIEWER_GROUPS: "acme" });
    expect((await readAsViewer(request("/api/v1/deployments", { headers: { cookie: demo.cookie } }), params)).status).toBe(401);
  });
});

describe("authorization by role", () => {
  it("each token role gets exactly the rights of the policy: auditor and approver are siblings, admin has all", async () => {
    const expected: Record<TRole, [number, number, number]> = {
      viewer: [200, 403, 403],
      auditor: [200, 200, 403],
      approver: [200, 403, 403],
      admin: [200, 200, 200],
    };
    for (const role of Object.keys(expected) as TRole[]) {
      const headers = bearer(await token(role));
      const statuses = [
        (await readAsViewer(request("/api/v1/deployments", { headers }), params)).status,
        (await exportAsAuditor(request("/api/v1/audit/export", { headers }), params)).status,
        (await createAsAdmin(request("/api/v1/tokens", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: "{}" }), params)).status,
      ];
      expect(statuses, role).toEqual(expected[role]);
    }
  });

  it("a 403 says which role is needed", async () => {
    const response = await createAsAdmin(request("/api/v1/tokens", { method: "POST", headers: { ...bearer(await token("viewer")), "content-type": "application/json" }, body: "{}" }), params);
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toBe("This needs the admin role; you have viewer.");
  });
});

describe("CSRF on state-changing requests made with a session cookie", () => {
  it("a same-origin request with the custom header and a JSON body passes", async () => {
    const { cookie } = await signedInCookie();
    const response = await createAsAdmin(request("/api/v1/tokens", { method: "POST", headers: { cookie, ...sameOrigin }, body: "{}" }), params);
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
  });

  it.each([
    ["a cross-site Origin", { origin: "https://evil.example" }],
    ["a missing Origin", { origin: undefined }],
    ['Origin "null" (sandboxed iframe)', { origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }],
    ["a text/plain form post carrying JSON", { "content-type": "text/plain" }],
    ["an urlencoded form post", { "content-type": "application/x-www-form-urlencoded" }],
    ["a multipart form post", { "content-type": "multipart/form-data; boundary=x" }],
    ["no custom header", { "x-custody-request": undefined }],
  ])("%s is refused with 403 before anything runs", async (_case, change) => {
    const { cookie } = await signedInCookie();
    const headers: Record<string, string> = { cookie, ...sameOrigin };
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const response = await createAsAdmin(request("/api/v1/tokens", { method: "POST", headers, body: '{"name":"x","role":"admin"}' }), params);
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toMatch(/cross-site/);
    expect(calls).toBe(0);
  });

  it("a DELETE needs the same proof of origin", async () => {
    const { cookie } = await signedInCookie();
    expect((await deleteAsAdmin(request("/api/v1/tokens/x", { method: "DELETE", headers: { cookie, origin: "https://evil.example", "x-custody-request": "1" } }), params)).status).toBe(403);
    expect((await deleteAsAdmin(request("/api/v1/tokens/x", { method: "DELETE", headers: { cookie, origin: appOrigin, "x-custody-request": "1" } }), params)).status).toBe(200);
  });

  it("a GET changes nothing and needs no CSRF proof", async () => {
    const { cookie } = await signedInCookie();
    expect((await readAsViewer(request("/api/v1/deployments", { headers: { cookie, "sec-fetch-site": "cross-site" } }), params)).status).toBe(200);
  });

  it("a bearer-token request (which no browser sends cross-site) is exempt", async () => {
    const response = await createAsAdmin(request("/api/v1/tokens", { method: "POST", headers: { ...bearer(await token("admin")), "content-type": "application/json" }, body: "{}" }), params);
    expect(response.status).toBe(200);
  });
});

describe("rate limits", () => {
  it("a token used more than CUSTODY_TOKEN_RATE_LIMIT times a minute gets 429 with Retry-After", async () => {
    configureAuth({ CUSTODY_TOKEN_RATE_LIMIT: "3" });
    const headers = bearer(await token("viewer"));
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await readAsViewer(request("/api/v1/deployments", { headers }), params)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await readAsViewer(request("/api/v1/deployments", { headers }), params);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another token is unaffected.
    expect((await readAsViewer(request("/api/v1/deployments", { headers: bearer(await token("viewer")) }), params)).status).toBe(200);
  });

  it("an address guessing tokens is slowed down like sign-in attempts", async () => {
    configureAuth({ CUSTODY_SIGNIN_RATE_LIMIT: "2" });
    const guess = { ...bearer(`cst_${"B".repeat(43)}`), "x-forwarded-for": "203.0.113.9" };
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await readAsViewer(request("/api/v1/deployments", { headers: guess }), params)).status);
    expect(statuses).toEqual([401, 401, 429]);
  });
});

describe("errors", () => {
  it("an unexpected error is a generic 500 without internals", async () => {
    const response = await failing(request("/api/v1/me", { headers: bearer(await token("viewer")) }), params);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/SELECT|\/srv|secret/);
  });
});
