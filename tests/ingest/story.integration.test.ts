import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildStory } from "../fixtures/story.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { graphSnapshot, truncateAll } from "../support/graph-snapshot.ts";
import { pendingDeliveryIds, processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

configureWebhookSecrets();
const { getPool, closeDb, db } = await import("@/lib/db");
const { processDelivery } = await import("@/lib/ingest/process/process-delivery");
const { processDeliveries } = await import("@/lib/ingest/process/process-deliveries");
const { getDeployReceipt } = await import("@/lib/domain/get-deploy-receipt");

const pool = getPool();

/** Processes what is waiting in batches of `size` deliveries (one transaction each), as the worker's jobs do. */
async function processPendingInBatches(size: number): Promise<void> {
  const ids = await pendingDeliveryIds(pool);
  for (let i = 0; i < ids.length; i += size) await processDeliveries(pool, ids.slice(i, i + size));
}

async function ingest(order: number[], batch = 1): Promise<void> {
  const story = buildStory();
  for (const index of order) {
    const response = await sendStoryDelivery(story[index]!, storyDeliveryId(index));
    expect([200, 202]).toContain(response.status);
  }
  if (batch === 1) await processPending(pool);
  else await processPendingInBatches(batch);
}

beforeEach(async () => truncateAll(pool));
afterAll(async () => closeDb());

describe("the provenance graph built from a story", () => {
  let canonical: Record<string, unknown[]>;
  beforeAll(async () => {
    await truncateAll(pool);
    await ingest(buildStory().map((_, i) => i));
    canonical = await graphSnapshot(pool);
  });

  it("joins the production deploy to its MR, approvers, merger, pipelines, build and the human who opened the gate", async () => {
    await ingest(buildStory().map((_, i) => i));
    const deployments = await db.deployment.findMany({ orderBy: { provider: "asc" } });
    expect(deployments.map((d) => [d.provider, d.environment, d.status])).toEqual([
      ["buildkite", "production", "success"],
      ["gitlab", "production", "success"],
    ]);
    for (const deployment of deployments) {
      const receipt = await getDeployReceipt(deployment.id);
      expect(receipt?.commitSha).toBe("5fc652f697a1263b2022de426a28d99b4e96827c");
      expect(receipt?.project).toBe("acme/payments-api");
      const mr = receipt?.mergeRequests[0];
      expect(receipt?.mergeRequests).toHaveLength(1);
      expect(mr).toMatchObject({ iid: 17, author: { username: "alice" }, mergedBy: { username: "dave" }, state: "merged", linkedBy: "merge_commit_sha" });
      expect(mr?.approvers.map((a) => a.username).sort()).toEqual(["bob", "carol"]);
      expect(receipt?.pipelines.map((p) => [p.id, p.status, p.linkedBy]).sort()).toEqual([
        ["1183402", "success", "merge request head_sha"],
        ["1183467", "success", "sha"],
      ]);
      const build = receipt?.builds[0];
      expect(build).toMatchObject({ pipeline: "payments-api-deploy", number: 981, state: "passed" });
      expect(build?.gates).toEqual([
        expect.objectContaining({ state: "unblocked", unblockedBy: { name: "Erin Lead", email: "erin@acme.test" }, unblockedAt: expect.any(String) }),
      ]);
      expect(receipt?.evidence.length).toBeGreaterThan(20);
      for (const item of receipt?.evidence ?? []) expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const gitlabDeploy = await getDeployReceipt(deployments[1]!.id);
    expect(gitlabDeploy?.triggeredBy).toMatchObject({ username: "dave" });
  });

  it("a redelivered GitLab event is stored once", async () => {
    const story = buildStory();
    const first = await sendStoryDelivery(story[1]!, storyDeliveryId(1));
    const again = await sendStoryDelivery(story[1]!, storyDeliveryId(1));
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM delivery");
    expect(rows[0].n).toBe(1);
  });

  it("the same facts come out whatever the order and however many duplicates (property)", async () => {
    const size = buildStory().length;
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
        fc.array(fc.integer({ min: 0, max: size - 1 }), { maxLength: 15 }),
        async (order, duplicates) => {
          await truncateAll(pool);
          await ingest([...order, ...duplicates]);
          expect(await graphSnapshot(pool)).toEqual(canonical);
        },
      ),
      { numRuns: 8 },
    );
  }, 240_000);

  it("the same facts come out however the deliveries are cut into batches (property)", async () => {
    const size = buildStory().length;
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
        fc.array(fc.integer({ min: 0, max: size - 1 }), { maxLength: 10 }),
        fc.integer({ min: 2, max: size }),
        async (order, duplicates, batch) => {
          await truncateAll(pool);
          await ingest([...order, ...duplicates], batch);
          expect(await graphSnapshot(pool)).toEqual(canonical);
        },
      ),
      { numRuns: 6 },
    );
  }, 240_000);

  it("re-processing every delivery in one batch (replay) changes nothing", async () => {
    await ingest(buildStory().map((_, i) => i));
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM delivery");
    await processDeliveries(pool, rows.map((row) => row.id), true);
    expect(await graphSnapshot(pool)).toEqual(canonical);
  });

  it("re-processing every delivery (replay) changes nothing", async () => {
    await ingest(buildStory().map((_, i) => i));
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM delivery ORDER BY received_at DESC");
    for (const row of rows) await processDelivery(pool, row.id, true);
    expect(await graphSnapshot(pool)).toEqual(canonical);
  });
});
