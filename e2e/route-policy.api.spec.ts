import { expect, test } from "@playwright/test";
import { routePolicy, type TAccess, type TMethod, type TRoutePolicyEntry } from "../lib/auth/route-policy.ts";
import { roleRights, type TRole } from "../lib/contracts/roles.ts";
import { appUrl } from "./support/gitlab.ts";
import { signInOverHttp } from "./support/sign-in.ts";

// Walks every route in lib/auth/route-policy.ts against every kind of caller on the running app and
// checks the answer against the policy: the table is the truth, and this proves the app obeys it.

type TCaller = { name: string; role: TRole | null; headers: Record<string, string>; kind: "anonymous" | "token" | "session" | "dead-token" };

const sampleId = "00000000-0000-4000-8000-000000000000";
const samplePath = (pattern: string, method: TMethod) =>
  pattern.replace(/\[\.\.\.nextauth\]/, method === "GET" ? "providers" : "signin/gitlab").replace(/\[[^\]]+\]/g, sampleId);

const callers: TCaller[] = [{ name: "anonymous", role: null, headers: {}, kind: "anonymous" }];

async function call(path: string, method: TMethod, caller: TCaller): Promise<{ status: number; location: string | null }> {
  const stateChanging = method !== "GET";
  const headers: Record<string, string> = { ...caller.headers };
  if (stateChanging) headers["content-type"] = "application/json";
  // A browser session sends what Custody's own pages send; tokens need none of it.
  if (stateChanging && caller.kind === "session") Object.assign(headers, { origin: appUrl, "x-custody-request": "1", "sec-fetch-site": "same-origin" });
  const controller = new AbortController();
  const response = await fetch(`${appUrl}${path}`, { method, headers, body: stateChanging ? "{}" : undefined, redirect: "manual", signal: controller.signal });
  // Streams (Server-Sent Events) never end: the status is all we need.
  controller.abort();
  return { status: response.status, location: response.headers.get("location") };
}

function expectation(entry: TRoutePolicyEntry, access: TAccess, caller: TCaller): "allowed" | "sign-in" | 401 | 403 | 200 {
  if (access === "public") return 200;
  if (access === "sign-in") return "allowed";
  if (access === "webhook-secret" || access === "ingest-token") return 401;
  if (caller.role === null) return entry.type === "page" ? "sign-in" : 401;
  return roleRights[caller.role].includes(access) ? "allowed" : 403;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const adminCookie = await signInOverHttp("alice");
  const create = async (role: TRole, expiresIn = "1d") => {
    const response = await fetch(`${appUrl}/api/v1/tokens`, {
      method: "POST",
      headers: { cookie: adminCookie, origin: appUrl, "x-custody-request": "1", "content-type": "application/json" },
      body: JSON.stringify({ name: `matrix-${role}-${expiresIn}`, role, expiresIn }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { token: string; summary: { id: string } };
  };
  for (const role of ["viewer", "auditor", "approver", "admin"] as const) {
    callers.push({ name: `${role} token`, role, headers: { authorization: `Bearer ${(await create(role)).token}` }, kind: "token" });
  }
  const revoked = await create("admin");
  const revoke = await fetch(`${appUrl}/api/v1/tokens/${revoked.summary.id}`, { method: "DELETE", headers: { cookie: adminCookie, origin: appUrl, "x-custody-request": "1" } });
  expect(revoke.status).toBe(200);
  callers.push({ name: "revoked admin token", role: null, headers: { authorization: `Bearer ${revoked.token}` }, kind: "dead-token" });
  const expired = await create("admin", "1s");
  callers.push({ name: "expired admin token", role: null, headers: { authorization: `Bearer ${expired.token}` }, kind: "dead-token" });
  callers.push({ name: "unknown token", role: null, headers: { authorization: "Bearer cst_thisTokenWasNeverIssuedByCustodyAtAll000000000" }, kind: "dead-token" });
  for (const [username, role] of [["dave", "viewer"], ["carol", "auditor"], ["bob", "approver"], ["alice", "admin"]] as const) {
    callers.push({ name: `${role} session`, role, headers: { cookie: await signInOverHttp(username) }, kind: "session" });
  }
  await new Promise((resolve) => setTimeout(resolve, 1_200));
});

test("every route answers every kind of caller as lib/auth/route-policy.ts says", async () => {
  test.setTimeout(180_000);
  const mismatches: string[] = [];
  let checked = 0;
  for (const [pattern, entry] of Object.entries(routePolicy) as [string, TRoutePolicyEntry][]) {
    const methods: [TMethod, TAccess][] = entry.type === "page" ? [["GET", entry.access]] : (Object.entries(entry.methods) as [TMethod, TAccess][]);
    for (const [method, access] of methods) {
      const path = samplePath(pattern, method);
      for (const caller of callers) {
        const want = expectation(entry, access, caller);
        const got = await call(path, method, caller);
        checked += 1;
        const ok =
          want === "allowed"
            ? ![401, 403, 429].includes(got.status) && !(got.status === 307 && got.location?.includes("/sign-in"))
            : want === "sign-in"
              ? got.status === 307 && (got.location ?? "").includes("/sign-in")
              : got.status === want;
        if (!ok) mismatches.push(`${method} ${path} as ${caller.name}: expected ${want}, got ${got.status}${got.location ? ` → ${got.location}` : ""}`);
      }
    }
  }
  expect(mismatches).toEqual([]);
  expect(checked).toBeGreaterThan(250);
});

test("an API path that is not in the policy is not served", async () => {
  const response = await fetch(`${appUrl}/api/v1/not-a-route`, { headers: callers.find((c) => c.name === "admin token")!.headers });
  expect(response.status).toBe(404);
});

test("a literal % in a path segment is a name that does not exist, not a server error", async () => {
  const headers = callers.find((c) => c.name === "viewer session")!.headers;
  for (const path of ["/api/v1/builds/deploy%25api/7", "/api/v1/merge-requests/acme/100%25/3", "/api/v1/pipelines/acme/100%25/3"]) {
    const response = await fetch(`${appUrl}${path}`, { headers });
    expect(response.status, path).toBe(404);
  }
  // Pages stream behind a loading state, so their not-found view arrives with the status already sent.
  for (const path of ["/builds/deploy%25api/7", "/merge-requests/acme/100%25/3", "/accounts/gitlab/100%25"]) {
    const response = await fetch(`${appUrl}${path}`, { headers, redirect: "manual" });
    expect(response.status, path).toBeLessThan(500);
    expect(await response.text(), path).not.toContain("Application error");
  }
});
