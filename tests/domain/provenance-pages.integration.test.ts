import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStory } from "../fixtures/story.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { appOrigin, configureAuth, truncateAuth } from "../support/auth-fixtures.ts";
import { processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

// The merge request, pipeline, build and delivery pages' data and APIs, and the receipt export,
// over the canonical story ingested through the real webhook routes into real Postgres.

configureWebhookSecrets();
configureAuth();
const { getPool, closeDb, db } = await import("@/lib/db");
const { createApiToken } = await import("@/lib/auth/create-api-token");
const { getMergeRequest } = await import("@/lib/domain/get-merge-request");
const { getPipeline } = await import("@/lib/domain/get-pipeline");
const { getBuild } = await import("@/lib/domain/get-build");
const { findTimelineLinks } = await import("@/lib/domain/find-timeline-links");
const { findAccountPath } = await import("@/lib/domain/find-account-path");
const { ZBuildDetail, ZDeliveryDetail, ZMergeRequestDetail, ZPipelineDetail } = await import("@/lib/contracts/provenance");
const mrRoute = await import("@/app/api/v1/merge-requests/[...ref]/route");
const pipelineRoute = await import("@/app/api/v1/pipelines/[...ref]/route");
const buildRoute = await import("@/app/api/v1/builds/[pipeline]/[number]/route");
const deliveryRoute = await import("@/app/api/v1/deliveries/[id]/route");
const receiptRoute = await import("@/app/api/v1/deployments/[id]/route");

const pool = getPool();
const MERGE_SHA = "5fc652f697a1263b2022de426a28d99b4e96827c";
const cli = { type: "cli", id: null, label: "cli:test" } as const;
let viewer = "";
let auditor = "";

const get = (path: string, token: string | null = viewer) => new Request(`${appOrigin}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });

beforeAll(async () => {
  await truncateAll(pool);
  await truncateAuth(pool);
  const story = buildStory();
  for (const [index, delivery] of story.entries()) {
    const response = await sendStoryDelivery(delivery, storyDeliveryId(index));
    expect([200, 202]).toContain(response.status);
  }
  await processPending(pool);
  viewer = (await createApiToken({ name: "viewer", role: "viewer", expiresInSeconds: 3600, actor: cli })).token;
  auditor = (await createApiToken({ name: "auditor", role: "auditor", expiresInSeconds: 3600, actor: cli })).token;
});
afterAll(async () => {
  await truncateAuth(pool);
  await truncateAll(pool);
  await closeDb();
});

describe("the merge request page", () => {
  it("shows the review, the CI that ran its commits and the deploys that shipped it", async () => {
    const mr = ZMergeRequestDetail.parse(await getMergeRequest("acme/payments-api", 17));
    expect(mr).toMatchObject({ iid: 17, state: "merged", mergeCommitSha: MERGE_SHA, author: { system: "gitlab", username: "alice" }, mergedBy: { username: "dave" } });
    expect(mr.approvals.filter((a) => !a.revokedAt).map((a) => a.account.username).sort()).toEqual(["bob", "carol"]);
    expect(mr.commits.map((c) => c.sha)).toContain(mr.headSha);
    expect(mr.pipelines.map((p) => [p.id, p.linkedBy]).sort()).toEqual([
      ["1183402", "head commit"],
      ["1183467", "merge commit"],
    ]);
    expect(mr.builds.map((b) => `${b.pipeline}#${b.number}`)).toEqual(["payments-api-deploy#981"]);
    expect(mr.deployments.map((d) => d.environment)).toEqual(["production", "production"]);
    expect(mr.evidence.length).toBeGreaterThan(2);
  });

  it("is null for an MR Custody has not seen", async () => {
    expect(await getMergeRequest("acme/payments-api", 99_999)).toBeNull();
    expect(await getMergeRequest("acme/other", 17)).toBeNull();
  });
});

describe("the pipeline and build pages", () => {
  it("a pipeline lists its jobs and who ran them, the build it started and the deploys", async () => {
    const pipeline = ZPipelineDetail.parse(await getPipeline("acme/payments-api", "1183467"));
    expect(pipeline.status).toBe("success");
    expect(pipeline.jobs.map((j) => j.name)).toEqual(expect.arrayContaining(["trigger-buildkite"]));
    expect(pipeline.mergeRequests.map((m) => [m.iid, m.linkedBy])).toEqual([[17, "merge commit"]]);
    expect(pipeline.builds.map((b) => b.number)).toEqual([981]);
    expect(pipeline.deployments.length).toBeGreaterThanOrEqual(1);
  });

  it("a build shows its gate and the person who unblocked it", async () => {
    const build = ZBuildDetail.parse(await getBuild("payments-api-deploy", 981));
    const gates = build.jobs.filter((j) => j.type === "manual");
    expect(gates).toEqual([expect.objectContaining({ state: "unblocked", unblockedBy: expect.objectContaining({ system: "buildkite", name: "Erin Lead", email: "erin@acme.test" }) })]);
    expect(build.mergeRequests.map((m) => m.iid)).toEqual([17]);
    expect(build.pipelines.map((p) => p.id)).toContain("1183467");
    expect(build.deployments.map((d) => [d.environment, d.linkedBy])).toEqual([["production", "build"]]);
  });
});

describe("links from the timeline", () => {
  it("every MR, pipeline, job, build and deploy row links to its page", async () => {
    // Rows of every source, Custody's own audit rows (entity ids that are not keys) included.
    await pool.query("INSERT INTO timeline_event (key, occurred_at, kind, source, title, refs, entity_type, entity_id) VALUES ('audit:x', now(), 'audit.export', 'custody', 'x', '{}', 'audit_entry', 'not:a:key:here')");
    const { rows } = await pool.query<{ id: string; kind: string }>("SELECT id::text, kind FROM timeline_event");
    const links = await findTimelineLinks(rows.map((r) => r.id));
    const subjects = rows.map((r) => [r.kind, links[r.id]?.subject ?? null] as const);
    const deployment = await db.deployment.findFirstOrThrow({ where: { provider: "gitlab" } });
    expect(subjects).toContainEqual(["merge_request.merged", "/merge-requests/acme/payments-api/17"]);
    expect(subjects).toContainEqual(["pipeline.success", "/pipelines/acme/payments-api/1183467"]);
    expect(subjects.some(([kind, s]) => kind.startsWith("job.") && /^\/pipelines\/acme\/payments-api\/\d+#job-\d+$/.test(s ?? ""))).toBe(true);
    expect(subjects.some(([kind, s]) => kind.startsWith("build.") && s === "/builds/payments-api-deploy/981")).toBe(true);
    expect(subjects).toContainEqual([expect.stringMatching(/^deployment\./), `/deploys/${deployment.id}`]);
    expect(subjects.some(([kind, s]) => kind === "gate.unblocked" && s === "/builds/payments-api-deploy/981")).toBe(true);
  });

  it("an account name leads to the person's activity while the account is not linked", async () => {
    expect(await findAccountPath("gitlab", "alice")).toMatch(/^\/(people\/[0-9a-f-]{36}|timeline\?person=alice)$/);
    expect(await findAccountPath("gitlab", "nobody-at-all")).toBeNull();
  });
});

describe("the APIs", () => {
  it("answer a viewer token with the contracts, 404 for unknown ids and 400 for malformed ones", async () => {
    const mr = await mrRoute.GET(get("/api/v1/merge-requests/acme/payments-api/17"), ctx({ ref: ["acme", "payments-api", "17"] }));
    expect(mr.status).toBe(200);
    ZMergeRequestDetail.parse(await mr.json());
    expect((await mrRoute.GET(get("/api/v1/merge-requests/acme/payments-api!17"), ctx({ ref: ["acme", "payments-api!17"] }))).status).toBe(200);
    expect((await mrRoute.GET(get("/api/v1/merge-requests/acme/payments-api/9999"), ctx({ ref: ["acme", "payments-api", "9999"] }))).status).toBe(404);
    expect((await mrRoute.GET(get("/api/v1/merge-requests/acme"), ctx({ ref: ["acme"] }))).status).toBe(400);
    const pipeline = await pipelineRoute.GET(get("/api/v1/pipelines/acme/payments-api/1183467"), ctx({ ref: ["acme", "payments-api", "1183467"] }));
    expect(pipeline.status).toBe(200);
    ZPipelineDetail.parse(await pipeline.json());
    const build = await buildRoute.GET(get("/api/v1/builds/payments-api-deploy/981"), ctx({ pipeline: "payments-api-deploy", number: "981" }));
    expect(build.status).toBe(200);
    ZBuildDetail.parse(await build.json());
    expect((await buildRoute.GET(get("/api/v1/builds/payments-api-deploy/x"), ctx({ pipeline: "payments-api-deploy", number: "x" }))).status).toBe(400);
    const { id } = await db.delivery.findFirstOrThrow({ where: { source: "buildkite", eventType: "job.activated" } });
    // Raw deliveries are for auditors and admins: bodies can carry pipeline variables and build env.
    expect((await deliveryRoute.GET(get(`/api/v1/deliveries/${id}`), ctx({ id }))).status).toBe(403);
    expect((await deliveryRoute.GET(get(`/api/v1/deliveries/${id}?format=raw`), ctx({ id }))).status).toBe(403);
    const delivery = await deliveryRoute.GET(get(`/api/v1/deliveries/${id}`, auditor), ctx({ id }));
    expect(delivery.status).toBe(200);
    const body = ZDeliveryDetail.parse(await delivery.json());
    expect(body.facts.length).toBeGreaterThan(0);
    expect(JSON.stringify(body.headers)).not.toContain("buildkite-test-signing-secret");
    const raw = await deliveryRoute.GET(get(`/api/v1/deliveries/${id}?format=raw`, auditor), ctx({ id }));
    const bytes = Buffer.from(await raw.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(body.sha256);
    expect(raw.headers.get("x-content-sha256")).toBe(body.sha256);
    expect((await deliveryRoute.GET(get(`/api/v1/deliveries/${id}?format=zip`, auditor), ctx({ id }))).status).toBe(400);
    expect((await deliveryRoute.GET(get("/api/v1/deliveries/00000000-0000-4000-8000-000000000000", auditor), ctx({ id: "00000000-0000-4000-8000-000000000000" }))).status).toBe(404);
  });

  it("refuse anonymous callers", async () => {
    expect((await mrRoute.GET(get("/api/v1/merge-requests/acme/payments-api/17", null), ctx({ ref: ["acme", "payments-api", "17"] }))).status).toBe(401);
    expect((await buildRoute.GET(get("/api/v1/builds/payments-api-deploy/981", null), ctx({ pipeline: "payments-api-deploy", number: "981" }))).status).toBe(401);
    expect((await pipelineRoute.GET(get("/api/v1/pipelines/acme/payments-api/1183467", null), ctx({ ref: ["acme", "payments-api", "1183467"] }))).status).toBe(401);
    expect((await deliveryRoute.GET(get("/api/v1/deliveries/x", null), ctx({ id: "x" }))).status).toBe(401);
    expect((await receiptRoute.GET(get("/api/v1/deployments/x?format=pdf", null), ctx({ id: "x" }))).status).toBe(401);
  });
});

describe("receipt export", () => {
  it("downloads the receipt as a PDF that parses, carries the receipt's text and is audited", async () => {
    const deployment = await db.deployment.findFirstOrThrow({ where: { provider: "buildkite" } });
    const response = await receiptRoute.GET(get(`/api/v1/deployments/${deployment.id}?format=pdf`), ctx({ id: deployment.id }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="custody-receipt-${deployment.id}.pdf"`);
    const pdf = Buffer.from(await response.arrayBuffer()).toString("latin1");
    expect(pdf.startsWith("%PDF-1.4")).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe("xref");
    expect(pdf).toMatch(/trailer\n<< \/Size \d+ \/Root 1 0 R/);
    for (const text of ["Erin Lead <erin@acme.test>", MERGE_SHA, "acme/payments-api!17", "payments-api-deploy #981", "Evidence \\("]) expect(pdf).toContain(`(${text}`);
    const audit = await pool.query("SELECT action, target, details FROM audit_entry WHERE target = $1", [`deploy receipt ${deployment.id}`]);
    expect(audit.rows).toEqual([{ action: "export", target: `deploy receipt ${deployment.id}`, details: { format: "pdf" } }]);
  });

  it("downloads the receipt as JSON, answers the plain API unchanged and refuses unknown formats", async () => {
    const deployment = await db.deployment.findFirstOrThrow({ where: { provider: "gitlab" } });
    const download = await receiptRoute.GET(get(`/api/v1/deployments/${deployment.id}?format=json`), ctx({ id: deployment.id }));
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="custody-receipt-${deployment.id}.json"`);
    const receipt = (await download.json()) as { id: string; commitSha: string };
    expect(receipt).toMatchObject({ id: deployment.id, commitSha: MERGE_SHA });
    const plain = await receiptRoute.GET(get(`/api/v1/deployments/${deployment.id}`), ctx({ id: deployment.id }));
    expect(plain.headers.get("content-disposition")).toBeNull();
    expect(await plain.json()).toEqual(receipt);
    expect((await receiptRoute.GET(get(`/api/v1/deployments/${deployment.id}?format=xml`), ctx({ id: deployment.id }))).status).toBe(400);
    expect((await receiptRoute.GET(get(`/api/v1/deployments/00000000-0000-4000-8000-000000000000?format=pdf`), ctx({ id: "00000000-0000-4000-8000-000000000000" }))).status).toBe(404);
  });
});
