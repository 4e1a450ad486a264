import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildStory } from "../fixtures/story.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

configureWebhookSecrets();
Object.assign(process.env, { CUSTODY_INGEST_TOKEN: "old-ingest-token, ingest-test-token" });
const { POST: postCredentials } = await import("@/app/api/ingest/credentials/route");
const { getPool, closeDb, db } = await import("@/lib/db");
const { getDeployReceipt } = await import("@/lib/domain/get-deploy-receipt");
const pool = getPool();

const deployJobId = "33675233-2580-4883-91ef-9a25fb852b87";
const sub = "organization:acme:pipeline:payments-api-deploy:ref:refs/heads/main:commit:5fc652f697a1263b2022de426a28d99b4e96827c:step:deploy-production";
const claims = {
  iss: "https://agent.buildkite.com",
  sub,
  aud: "sts.amazonaws.com",
  iat: 1789380140,
  nbf: 1789380140,
  exp: 1789380440,
  jti: "0b6f3a1e-6c1d-4c55-9d57-3c2b1f0e9a11",
  organization_slug: "acme",
  pipeline_slug: "payments-api-deploy",
  build_number: 981,
  build_branch: "main",
  build_commit: "5fc652f697a1263b2022de426a28d99b4e96827c",
  step_key: "deploy-production",
  job_id: deployJobId,
};
const cloudTrailFile = {
  Records: [
    {
      eventTime: "2026-09-14T10:02:21Z",
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRoleWithWebIdentity",
      eventID: "7f1e2d3c-aaaa-bbbb-cccc-000000000001",
      recipientAccountId: "111122223333",
      sourceIPAddress: "203.0.113.10",
      userIdentity: { type: "WebIdentityUser", userName: sub, identityProvider: "arn:aws:iam::111122223333:oidc-provider/agent.buildkite.com" },
      requestParameters: { roleArn: "arn:aws:iam::111122223333:role/payments-deploy", roleSessionName: `buildkite-job-${deployJobId}` },
      responseElements: {
        credentials: { accessKeyId: "ASIAEXAMPLE1234567", expiration: "2026-09-14T11:02:21Z" },
        subjectFromWebIdentityToken: sub,
        audience: "sts.amazonaws.com",
      },
    },
    { eventTime: "2026-09-14T10:03:00Z", eventName: "PutObject", eventID: "other-event" },
  ],
};

function post(body: unknown, token = "ingest-test-token"): Promise<Response> {
  return postCredentials(
    new Request("http://127.0.0.1/api/ingest/credentials", {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

beforeEach(async () => truncateAll(pool));
afterAll(async () => closeDb());

describe("credentials ingest", () => {
  it("the receipt of a Buildkite deploy lists the OIDC credential and the AWS role session of its job, with lifetimes", async () => {
    for (const [i, d] of buildStory().entries()) {
      const response = await sendStoryDelivery(d, storyDeliveryId(i));
      expect(response.status).toBe(202);
    }
    expect((await post({ kind: "oidc-claims", claims })).status).toBe(202);
    expect((await post(cloudTrailFile, "old-ingest-token")).status).toBe(202);
    await processPending(pool);
    const deployment = await db.deployment.findFirstOrThrow({ where: { provider: "buildkite" } });
    const receipt = await getDeployReceipt(deployment.id);
    expect(receipt?.credentials).toEqual([
      {
        kind: "oidc",
        issuer: "https://agent.buildkite.com",
        subject: sub,
        audience: "sts.amazonaws.com",
        issuedAt: "2026-09-14T10:02:20.000Z",
        expiresAt: "2026-09-14T10:07:20.000Z",
        lifetimeSeconds: 300,
        jobId: deployJobId,
        ref: "main",
        roleSession: {
          roleArn: "arn:aws:iam::111122223333:role/payments-deploy",
          sessionName: `buildkite-job-${deployJobId}`,
          issuedAt: "2026-09-14T10:02:21.000Z",
          expiresAt: "2026-09-14T11:02:21.000Z",
          sourceIp: "203.0.113.10",
        },
      },
    ]);
    expect(receipt?.findings.map((f) => f.code)).toEqual([]);
    const events = receipt?.evidence.map((e) => e.event) ?? [];
    expect(events).toContain("oidc-claims");
    expect(events).toContain("cloudtrail-file");
    const timeline = await pool.query("SELECT kind FROM timeline_event WHERE kind IN ('credential.issued', 'role_session.issued') ORDER BY kind");
    expect(timeline.rows.map((r) => r.kind)).toEqual(["credential.issued", "role_session.issued"]);
  });

  it("refuses a body carrying a signed JWT, stores nothing, and says to send claims only", async () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2FnZW50LmJ1aWxka2l0ZS5jb20ifQ.c2lnbmF0dXJlLWJ5dGVz";
    const response = await post({ kind: "oidc-claims", token: jwt, claims });
    expect(response.status).toBe(422);
    expect((await response.json()).detail).toMatch(/claims only/);
    expect((await pool.query("SELECT count(*)::int AS n FROM delivery")).rows[0].n).toBe(0);
  });

  it("refuses claims from an issuer that is not configured, naming the allowed ones, and stores nothing", async () => {
    const response = await post({ kind: "oidc-claims", claims: { ...claims, iss: "https://token.evil.example" } });
    expect(response.status).toBe(422);
    expect((await response.json()).detail).toMatch(/https:\/\/agent\.buildkite\.com/);
    expect((await pool.query("SELECT count(*)::int AS n FROM delivery")).rows[0].n).toBe(0);
  });

  it("refuses an oversized CloudTrail file with 413 and stores nothing", async () => {
    const huge = JSON.stringify({ Records: [{ eventName: "ListBuckets", padding: "x".repeat(5 * 1024 * 1024) }] });
    expect((await post(huge)).status).toBe(413);
    expect((await pool.query("SELECT count(*)::int AS n FROM delivery")).rows[0].n).toBe(0);
  });

  it("refuses a missing or wrong ingest token with 401", async () => {
    expect((await post({ kind: "oidc-claims", claims }, "")).status).toBe(401);
    expect((await post({ kind: "oidc-claims", claims }, "guess")).status).toBe(401);
    expect((await pool.query("SELECT count(*)::int AS n FROM delivery")).rows[0].n).toBe(0);
  });

  it("stores mistyped claims and claims expiring before issue, and marks them invalid with the reason", async () => {
    expect((await post({ kind: "oidc-claims", claims: { ...claims, jti: "a", exp: "tomorrow" } })).status).toBe(202);
    expect((await post({ kind: "oidc-claims", claims: { ...claims, jti: "b", exp: claims.iat - 60 } })).status).toBe(202);
    await processPending(pool);
    const { rows } = await pool.query("SELECT processing_state, processing_error FROM delivery ORDER BY processing_error");
    expect(rows).toEqual([
      { processing_state: "invalid", processing_error: "claims are missing or mistyped: exp (unix seconds)" },
      { processing_state: "invalid", processing_error: "claims expire before (or when) they are issued (exp <= iat)" },
    ]);
  });

  it("a repeated jti is stored once; a different body with the same jti is refused with 409", async () => {
    expect((await post({ kind: "oidc-claims", claims })).status).toBe(202);
    expect((await post({ kind: "oidc-claims", claims })).status).toBe(200);
    expect((await post({ kind: "oidc-claims", claims: { ...claims, aud: "vault" } })).status).toBe(409);
    expect((await pool.query("SELECT count(*)::int AS n FROM delivery")).rows[0].n).toBe(1);
  });

  it("keeps CloudTrail files without role assumptions as ignored, and refuses non-JSON", async () => {
    expect((await post({ Records: [{ eventName: "ListBuckets", eventID: "x", eventTime: "2026-09-14T10:00:00Z" }] })).status).toBe(202);
    expect((await post("not json")).status).toBe(400);
    await processPending(pool);
    const { rows } = await pool.query("SELECT processing_state FROM delivery");
    expect(rows).toEqual([{ processing_state: "ignored" }]);
  });
});
