import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { createApiToken } from "@/lib/auth/create-api-token";
import type { TSignInIdentity } from "@/lib/auth/create-session";
import { appOrigin, configureAuth, signedInCookie, truncateAuth } from "../support/auth-fixtures.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { seedGate, truncateApprovals } from "./seed-gate.ts";
// @ts-expect-error plain JS test server shared with Playwright
import { startMockBuildkite } from "../../e2e/support/mock-buildkite.mjs";

// The approval routes with real sessions (GitLab groups re-checked against a local userinfo server),
// real tokens, CSRF checks and the Buildkite stub.

const approve = await import("@/app/api/v1/approvals/[id]/approve/route");
const decline = await import("@/app/api/v1/approvals/[id]/decline/route");
const list = await import("@/app/api/v1/approvals/route");

const groupsByToken = new Map<string, string[]>();
let gitlab: Server;
let gitlabUrl = "";
let bk: { url: string; close: () => Promise<void> };
const cli = { type: "cli", id: null, label: "cli:test" } as const;
const sameOrigin = { origin: appOrigin, "sec-fetch-site": "same-origin", "x-custody-request": "1", "content-type": "application/json" };
const params = <P,>(p: P) => ({ params: Promise.resolve(p) });
const post = (path: string, headers: Record<string, string>, body: unknown = {}) => new Request(`${appOrigin}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
const bobIdentity: TSignInIdentity = { provider: "gitlab", subject: "202", username: "bob", name: "Bob", email: "bob@acme.test", groups: ["acme/leads"], role: "approver" };
const unblocks = async () => ((await (await fetch(`${bk.url}/__mock/calls`)).json()) as { op: string }[]).filter((c) => c.op === "unblock").length;

beforeAll(async () => {
  gitlab = createServer((req, res) => {
    const token = (req.headers.authorization ?? "").replace("Bearer ", "");
    const groups = groupsByToken.get(token);
    res.writeHead(groups ? 200 : 401, { "content-type": "application/json" });
    res.end(JSON.stringify(groups ? { sub: "202", nickname: "bob", name: "Bob", email: "bob@acme.test", groups } : { error: "invalid_token" }));
  });
  await new Promise<void>((resolve) => gitlab.listen(0, "127.0.0.1", resolve));
  const address = gitlab.address();
  gitlabUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  bk = await startMockBuildkite({ port: 0, token: "bk-test-token", org: "acme" });
});
beforeEach(async () => {
  configureAuth({
    GITLAB_URL: gitlabUrl,
    GITLAB_CLIENT_ID: "client-id",
    GITLAB_CLIENT_SECRET: "client-secret",
    CUSTODY_APPROVER_GROUPS: "acme/leads",
    CUSTODY_VIEWER_GROUPS: "acme/dev",
    BUILDKITE_API_URL: bk.url,
    BUILDKITE_API_TOKEN: "bk-test-token",
    BUILDKITE_ORG: "acme",
    BUILDKITE_API_TIMEOUT: "2s",
  });
  await truncateApprovals();
  await truncateAll(getPool());
  await truncateAuth(getPool());
  groupsByToken.clear();
  await fetch(`${bk.url}/__mock/reset`, { method: "POST" });
  await fetch(`${bk.url}/__mock/users`, { method: "POST", body: JSON.stringify({ id: "bk-bob" }) });
});
afterAll(async () => {
  await truncateApprovals();
  await truncateAll(getPool());
  await truncateAuth(getPool());
  gitlab.close();
  await bk.close();
  await closeDb();
});

async function seeded() {
  const gate = await seedGate();
  await fetch(`${bk.url}/__mock/builds`, { method: "POST", body: JSON.stringify({ pipeline: gate.pipeline, number: gate.number, jobs: [{ id: gate.jobExternalId, type: "manual" }] }) });
  return gate;
}

describe("POST /api/v1/approvals/{id}/approve", () => {
  it("a signed-in approver approves from Custody's page; the groups are re-read first", async () => {
    const gate = await seeded();
    groupsByToken.set("at-bob", ["acme/leads"]);
    const { cookie } = await signedInCookie(bobIdentity, { accessToken: "at-bob", refreshToken: null, expiresAt: new Date(Date.now() + 3600_000) });
    const response = await approve.POST(post(`/api/v1/approvals/${gate.gateId}/approve`, { ...sameOrigin, cookie }), params({ id: gate.gateId }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: "unblocked" });
    expect(await unblocks()).toBe(1);
  });

  it("an approver whose GitLab groups changed since sign-in is refused with that said, and nothing is called", async () => {
    const gate = await seeded();
    groupsByToken.set("at-bob", ["acme/dev"]);
    const { cookie } = await signedInCookie(bobIdentity, { accessToken: "at-bob", refreshToken: null, expiresAt: new Date(Date.now() + 3600_000) });
    const response = await approve.POST(post(`/api/v1/approvals/${gate.gateId}/approve`, { ...sameOrigin, cookie }), params({ id: gate.gateId }));
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain("Your GitLab groups were re-checked just now and no longer grant the approver role (you have viewer)");
    expect(await unblocks()).toBe(0);
    expect(await db.approvalDecision.count()).toBe(0);
  });

  it("a cross-site request with the approver's cookie cannot approve", async () => {
    const gate = await seeded();
    groupsByToken.set("at-bob", ["acme/leads"]);
    const { cookie } = await signedInCookie(bobIdentity, { accessToken: "at-bob", refreshToken: null, expiresAt: new Date(Date.now() + 3600_000) });
    const attempts: Record<string, string>[] = [
      { cookie, origin: "https://evil.test", "sec-fetch-site": "cross-site", "content-type": "text/plain" },
      { cookie, origin: "https://evil.test", "content-type": "application/json", "x-custody-request": "1" },
      { cookie, "content-type": "application/json", "x-custody-request": "1" },
      { cookie, origin: appOrigin, "sec-fetch-site": "same-origin", "content-type": "text/plain" },
    ];
    for (const headers of attempts) {
      const response = await approve.POST(post(`/api/v1/approvals/${gate.gateId}/approve`, headers), params({ id: gate.gateId }));
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect((await response.json()).detail).toContain("Refused as a possible cross-site request");
    }
    expect(await unblocks()).toBe(0);
  });

  it("a chat-ops tool approves with an approver token as the person who created it; never as anyone else, and a viewer token cannot", async () => {
    const gate = await seeded();
    groupsByToken.set("at-bob", ["acme/leads"]);
    const { userId } = await signedInCookie(bobIdentity, { accessToken: "at-bob", refreshToken: null, expiresAt: new Date(Date.now() + 3600_000) });
    const bob = { type: "user", id: userId, label: "bob" } as const;
    const approverToken = (await createApiToken({ name: "chatops", role: "approver", expiresInSeconds: 3600, actor: bob })).token;
    const cliToken = (await createApiToken({ name: "from-cli", role: "approver", expiresInSeconds: 3600, actor: cli })).token;
    const viewerToken = (await createApiToken({ name: "reader", role: "viewer", expiresInSeconds: 3600, actor: bob })).token;
    const asJson = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
    const asViewer = await approve.POST(post(`/api/v1/approvals/${gate.gateId}/approve`, asJson(viewerToken)), params({ id: gate.gateId }));
    expect(asViewer.status).toBe(403);
    const nobodyBehind = await approve.POST(post(`/api/v1/approvals/${gate.gateId}/approve`, asJson(cliToken), { onBehalfOf: "bob" }), params({ id: gate.gateId }));
    expect(nobodyBehind.status).toBe(400);
    expect((await nobodyBehind.json()).detail).toContain("was not created by a signed-in person");
    const asSomeoneElse = await approve.POST(post(`/api/v1/approvals/${gate.gateId}/approve`, asJson(approverToken), { onBehalfOf: "carol" }), params({ id: gate.gateId }));
    expect(asSomeoneElse.status).toBe(400);
    expect((await asSomeoneElse.json()).detail).toContain("decides gates only as bob, not as carol");
    expect(await db.approvalDecision.count()).toBe(0);
    const response = await approve.POST(post(`/api/v1/approvals/${gate.gateId}/approve`, asJson(approverToken)), params({ id: gate.gateId }));
    expect(response.status).toBe(200);
    expect(await db.approvalDecision.findFirstOrThrow()).toMatchObject({ actorLabel: "bob (via token chatops)", buildkiteUserId: "bk-bob" });
  });

  it("bad input is a 400 naming the field, and an unknown gate is a 404", async () => {
    const gate = await seeded();
    const token = (await createApiToken({ name: "chatops", role: "approver", expiresInSeconds: 3600, actor: cli })).token;
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const bad = await approve.POST(post(`/api/v1/approvals/${gate.gateId}/approve`, headers, { fields: { "bad key!": "x" } }), params({ id: gate.gateId }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toContain("fields");
    const missing = await approve.POST(post("/api/v1/approvals/00000000-0000-4000-8000-000000000000/approve", headers, { onBehalfOf: "bob" }), params({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.status).toBe(404);
    const noReason = await decline.POST(post(`/api/v1/approvals/${gate.gateId}/decline`, headers, { onBehalfOf: "bob" }), params({ id: gate.gateId }));
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).detail).toContain("reason");
  });
});

describe("GET /api/v1/approvals", () => {
  it("a viewer token lists waiting gates; anonymous is 401", async () => {
    await seeded();
    const token = (await createApiToken({ name: "reader", role: "viewer", expiresInSeconds: 3600, actor: cli })).token;
    const response = await list.GET(new Request(`${appOrigin}/api/v1/approvals`, { headers: { authorization: `Bearer ${token}` } }), params({}));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.items).toHaveLength(1);
    expect(body.items[0].verdict.allowed).toBe(false);
    expect((await list.GET(new Request(`${appOrigin}/api/v1/approvals`), params({}))).status).toBe(401);
  });
});
