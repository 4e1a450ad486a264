import { verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStory } from "../fixtures/story.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { appOrigin, configureAuth, truncateAuth } from "../support/auth-fixtures.ts";
import { newSigningKey } from "../support/ledger-fixtures.ts";
import { processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

// The in-toto / SLSA provenance of the canonical story's Buildkite build, ingested through the real
// webhook routes into real Postgres, with one approval decision recorded in Custody for its gate.

configureWebhookSecrets();
configureAuth();
const { getPool, closeDb } = await import("@/lib/db");
const { resetEnvCache } = await import("@/lib/env");
const { createApiToken } = await import("@/lib/auth/create-api-token");
const provenanceRoute = await import("@/app/api/v1/builds/[pipeline]/[number]/provenance/route");

const pool = getPool();
const MERGE_SHA = "5fc652f697a1263b2022de426a28d99b4e96827c";
const cli = { type: "cli", id: null, label: "cli:test" } as const;
let viewer = "";
const get = (path: string, token: string | null = viewer) => new Request(`${appOrigin}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const ctx = (number: string) => ({ params: Promise.resolve({ pipeline: "payments-api-deploy", number }) });

beforeAll(async () => {
  await truncateAll(pool);
  await truncateAuth(pool);
  for (const [index, delivery] of buildStory().entries()) {
    const response = await sendStoryDelivery(delivery, storyDeliveryId(index));
    expect([200, 202]).toContain(response.status);
  }
  await processPending(pool);
  await pool.query(
    `INSERT INTO approval_decision (id, build_job_id, approver_key, decision, actor_label, reason, policy, verdict, decided_at)
     SELECT gen_random_uuid(), bj.id, 'user:carol', 'approve', 'carol', NULL, '{}'::jsonb, '{"allowed": true}'::jsonb, '2026-09-14T10:01:00Z'
     FROM build_job bj JOIN build b ON b.id = bj.build_id WHERE b.pipeline_slug = 'payments-api-deploy' AND b.number = 981 AND bj.type = 'manual' LIMIT 1`,
  );
  viewer = (await createApiToken({ name: "viewer", role: "viewer", expiresInSeconds: 3600, actor: cli })).token;
});
afterAll(async () => {
  delete process.env.CUSTODY_SIGNING_KEY;
  resetEnvCache();
  await pool.query("DELETE FROM approval_decision");
  await truncateAuth(pool);
  await truncateAll(pool);
  await closeDb();
});

describe("a build's provenance", () => {
  it("is an in-toto Statement with a SLSA v1 predicate naming the commit, merge request, approvers, gates, decisions and evidence", async () => {
    const response = await provenanceRoute.GET(get("/api/v1/builds/payments-api-deploy/981/provenance"), ctx("981"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.in-toto+json");
    const statement = await response.json();
    expect(statement._type).toBe("https://in-toto.io/Statement/v1");
    expect(statement.predicateType).toBe("https://slsa.dev/provenance/v1");
    expect(statement.subject).toEqual([{ name: "git+https://gitlab.com/acme/payments-api.git", digest: { gitCommit: MERGE_SHA } }]);
    const { buildDefinition, runDetails } = statement.predicate;
    expect(buildDefinition.buildType).toBe("https://custody.dev/provenance/buildkite-build/v1");
    expect(buildDefinition.externalParameters).toMatchObject({
      repository: "https://gitlab.com/acme/payments-api",
      ref: "refs/heads/main",
      commit: MERGE_SHA,
      pipeline: { slug: "payments-api-deploy", number: 981 },
      mergeRequests: [{ project: "acme/payments-api", iid: 17 }],
    });
    expect(buildDefinition.resolvedDependencies).toEqual([{ uri: "git+https://gitlab.com/acme/payments-api.git@refs/heads/main", digest: { gitCommit: MERGE_SHA } }]);
    expect(runDetails.builder.id).toMatch(/^https:\/\/buildkite\.com\/[a-z0-9-]+\/payments-api-deploy$/);
    expect(runDetails.metadata.invocationId).toContain("/builds/981");
    expect(Date.parse(runDetails.metadata.startedOn)).toBeLessThanOrEqual(Date.parse(runDetails.metadata.finishedOn));

    const byproduct = (prefix: string) => runDetails.byproducts.filter((b: { name: string }) => b.name.startsWith(prefix));
    const [mr] = byproduct("merge-request:");
    expect(mr.name).toBe("merge-request:acme/payments-api!17");
    expect(mr.annotations.author.username).toBe("alice");
    expect(mr.annotations.approvers.map((a: { username: string }) => a.username).sort()).toEqual(["bob", "carol"]);
    expect(mr.annotations.mergedBy.username).toBeTruthy();
    const gates = byproduct("gate:");
    expect(gates.length).toBeGreaterThan(0);
    expect(gates[0].annotations.unblockedBy).not.toBeNull();
    expect(gates[0].annotations.unblockedAt).toMatch(/^2026-/);
    expect(byproduct("approval-decision:")).toEqual([
      expect.objectContaining({ annotations: expect.objectContaining({ decision: "approve", decidedBy: "carol", decidedAt: "2026-09-14T10:01:00.000Z", verdict: { allowed: true } }) }),
    ]);
    const deliveries = byproduct("delivery:");
    expect(deliveries.length).toBeGreaterThan(2);
    const stored = await pool.query<{ id: string; sha256: string }>("SELECT id, sha256 FROM delivery");
    const shaById = new Map(stored.rows.map((r) => [r.id, r.sha256]));
    for (const d of deliveries) {
      const id = d.name.slice("delivery:".length);
      expect(d.uri).toBe(`${appOrigin}/api/v1/deliveries/${id}`);
      expect(d.digest.sha256).toBe(shaById.get(id));
    }
  });

  it("signs the statement as a DSSE envelope with the configured key, and says so when there is none", async () => {
    delete process.env.CUSTODY_SIGNING_KEY;
    resetEnvCache();
    const unsigned = await provenanceRoute.GET(get("/api/v1/builds/payments-api-deploy/981/provenance?envelope=dsse"), ctx("981"));
    expect(unsigned.status).toBe(409);
    expect((await unsigned.json()).detail).toContain("CUSTODY_SIGNING_KEY");

    const key = newSigningKey();
    process.env.CUSTODY_SIGNING_KEY = key.privatePem;
    resetEnvCache();
    const response = await provenanceRoute.GET(get("/api/v1/builds/payments-api-deploy/981/provenance?envelope=dsse"), ctx("981"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.dsse.envelope.v1+json");
    const envelope = await response.json();
    expect(envelope.payloadType).toBe("application/vnd.in-toto+json");
    expect(envelope.signatures).toEqual([{ keyid: key.fingerprint, sig: expect.any(String) }]);
    const body = Buffer.from(envelope.payload, "base64");
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${envelope.payloadType.length} ${envelope.payloadType} ${body.length} `), body]);
    expect(verify(null, pae, key.publicKey, Buffer.from(envelope.signatures[0].sig, "base64"))).toBe(true);
    expect(JSON.parse(body.toString("utf8")).subject[0].digest.gitCommit).toBe(MERGE_SHA);
  });

  it("answers 404 for an unknown build, 400 for a bad number or envelope, and 401 without credentials", async () => {
    expect((await provenanceRoute.GET(get("/api/v1/builds/payments-api-deploy/4242/provenance"), ctx("4242"))).status).toBe(404);
    expect((await provenanceRoute.GET(get("/api/v1/builds/payments-api-deploy/x/provenance"), ctx("x"))).status).toBe(400);
    expect((await provenanceRoute.GET(get("/api/v1/builds/payments-api-deploy/981/provenance?envelope=jws"), ctx("981"))).status).toBe(400);
    expect((await provenanceRoute.GET(get("/api/v1/builds/payments-api-deploy/981/provenance", null), ctx("981"))).status).toBe(401);
  });
});
