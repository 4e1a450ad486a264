import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { buildStory, buildStoryIds } from "../fixtures/story.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { configureAuth, truncateAuth } from "../support/auth-fixtures.ts";
import { signedInPrincipal, truncateApprovals } from "./seed-gate.ts";
// @ts-expect-error plain JS test server shared with Playwright
import { startMockBuildkite } from "../../e2e/support/mock-buildkite.mjs";
import { processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

// Buildkite's webhooks announce a blocked build but not its block step: the waiting gate is read from
// the REST API, stored as evidence, and listed with the change behind it.

const { getPool, closeDb, db } = await import("@/lib/db");
const { findWaitingGates } = await import("@/lib/approvals/find-waiting-gates");

const pool = getPool();
const ids = buildStoryIds();
let bk: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  bk = await startMockBuildkite({ port: 0, token: "bk-test-token", org: "acme" });
});
beforeEach(async () => {
  configureAuth({ BUILDKITE_API_URL: bk.url, BUILDKITE_API_TOKEN: "bk-test-token", BUILDKITE_ORG: "acme", CUSTODY_APPROVAL_POLICY: '{"defaults":{"maxGateAge":"3650d"}}' });
  configureWebhookSecrets();
  await truncateApprovals();
  await truncateAll(pool);
  await truncateAuth(pool);
  await fetch(`${bk.url}/__mock/reset`, { method: "POST" });
});
afterAll(async () => {
  await truncateApprovals();
  await truncateAll(pool);
  await truncateAuth(pool);
  await bk.close();
  await closeDb();
});

it("a blocked build from the story (deliveries up to build.finished blocked) is listed with its gate, read from Buildkite once", async () => {
  const story = buildStory();
  const upToBlocked = story.findIndex((d) => d.event === "build.finished");
  for (const [index, delivery] of story.slice(0, upToBlocked + 1).entries()) {
    const response = await sendStoryDelivery(delivery, storyDeliveryId(index));
    expect([200, 202]).toContain(response.status);
  }
  await processPending(pool);
  expect(await db.buildJob.count({ where: { type: "manual" } })).toBe(0);

  await fetch(`${bk.url}/__mock/builds`, {
    method: "POST",
    body: JSON.stringify({
      pipeline: ids.buildkite.pipelineSlug,
      number: ids.buildkite.buildNumber,
      id: ids.buildkite.buildId,
      jobs: [
        { id: ids.buildkite.jobs.tests, type: "script", state: "passed" },
        { id: ids.buildkite.jobs.blockStep, type: "manual", label: ":rocket: Deploy to production?", step_key: "approve-production", state: "blocked" },
      ],
    }),
  });
  const bob = await signedInPrincipal("bob", "approver");
  const first = await findWaitingGates(bob);
  expect(first.problem).toBeNull();
  expect(first.items).toHaveLength(1);
  expect(first.items[0]).toMatchObject({ pipeline: ids.buildkite.pipelineSlug, buildNumber: ids.buildkite.buildNumber, label: ":rocket: Deploy to production?" });
  expect(first.items[0]!.mergeRequests).toEqual([expect.objectContaining({ iid: ids.gitlab.mrIid, author: "alice" })]);
  expect(first.items[0]!.pipelines.length).toBeGreaterThan(0);
  const stored = await db.delivery.findMany({ where: { eventType: "api.build" } });
  expect(stored).toEqual([expect.objectContaining({ origin: "api", processingState: "processed" })]);

  await findWaitingGates(bob);
  const reads = ((await (await fetch(`${bk.url}/__mock/calls`)).json()) as { op: string }[]).filter((c) => c.op === "get");
  expect(reads).toHaveLength(1);
});
