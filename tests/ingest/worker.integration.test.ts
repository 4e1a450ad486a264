// The background half of ingest (reliability.md §1.7 R9): deliveries acknowledged by the routes are
// processed by the real graphile-worker runner from the database, failures are retried and then
// parked with their error for a replay, and several workers never process one delivery twice.
import type { Runner } from "graphile-worker";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildStory, type TStoryDelivery } from "../fixtures/story.ts";
import { graphSnapshot, truncateAll } from "../support/graph-snapshot.ts";
import { pollUntil } from "../support/poll-until.ts";
import { buildkiteRequest, configureWebhookSecrets, gitlabRequest } from "../support/webhook-requests.ts";
import { processPending } from "../support/story-ingest.ts";

configureWebhookSecrets();
const { POST: postGitlab } = await import("@/app/api/webhooks/gitlab/route");
const { POST: postBuildkite } = await import("@/app/api/webhooks/buildkite/route");
const { getPool, closeDb } = await import("@/lib/db");
const { runWorker } = await import("@/lib/queue/run-worker");
const { requeueDeliveries } = await import("@/lib/ingest/requeue-deliveries");
const { normalizeDelivery } = await import("@/lib/ingest/normalize/normalize-delivery");

const pool = getPool();
const runners: Runner[] = [];

async function startWorker(concurrency: number, batch?: number): Promise<Runner> {
  const runner = await runWorker({ concurrency, batch });
  runners.push(runner);
  return runner;
}

// A stable GitLab delivery id per (story, index), so a story posted twice dedupes like GitLab's redelivery.
async function post(delivery: TStoryDelivery, id: string): Promise<void> {
  const response =
    delivery.source === "gitlab"
      ? await postGitlab(gitlabRequest(delivery.event, delivery.body, { id }))
      : await postBuildkite(buildkiteRequest(delivery.event, delivery.body));
  expect(response.status).toBe(202);
}

async function postAll(story: TStoryDelivery[], seed: number): Promise<void> {
  for (const [index, delivery] of story.entries()) await post(delivery, `story-${seed}-${index}`);
}

async function stateCounts(): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ state: string; n: number }>("SELECT processing_state::text AS state, count(*)::int AS n FROM delivery GROUP BY 1");
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

async function waitUntilAllProcessed(total: number, timeoutMs = 20_000): Promise<void> {
  await pollUntil(
    `${total} processed deliveries`,
    async () => ((await stateCounts()).processed === total ? true : undefined),
    { timeoutMs, intervalMs: 200, describeLast: stateCounts },
  );
}

beforeEach(async () => truncateAll(pool));
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => closeDb());

describe("the delivery worker", () => {
  const story = buildStory();
  let canonical: Record<string, unknown[]>;

  beforeAll(async () => {
    await truncateAll(pool);
    await postAll(story, 1);
    await processPending(pool);
    canonical = await graphSnapshot(pool);
    expect(canonical.deployments).toHaveLength(2);
  });

  it("turns deliveries posted to the routes into the same graph as processing them one by one", async () => {
    await startWorker(4);
    await postAll(story, 1);
    await waitUntilAllProcessed(story.length);

    expect(await graphSnapshot(pool)).toEqual(canonical);
    const { rows } = await pool.query<{ attempts: number; n: number }>("SELECT attempts, count(*)::int AS n FROM delivery GROUP BY attempts");
    expect(rows).toEqual([{ attempts: 1, n: story.length }]);
  });

  it("retries a delivery whose processing fails, parks it as failed with the error after the last attempt, and a replay re-queues it", async () => {
    // A real database refusal on the fact insert: a CHECK constraint no build fact can satisfy.
    await pool.query("ALTER TABLE fact ADD CONSTRAINT fact_refuses_builds CHECK (entity_type <> 'build') NOT VALID");
    try {
      const finished = buildStory({ seed: 5 }).find((d) => d.source === "buildkite" && d.event === "build.finished")!;
      const failedJobs: number[] = [];
      const runner = await startWorker(1);
      runner.events.on("job:error", ({ job }) => failedJobs.push(job.attempts));
      await post(finished, "unused");

      // Retries back off exponentially (seconds to hours); bring each one forward instead of waiting.
      await pollUntil(
        "the delivery to be parked as failed",
        async () => {
          const { rows } = await pool.query<{ processing_state: string }>("SELECT processing_state FROM delivery");
          if (rows[0]?.processing_state === "failed") return true;
          await pool.query(
            `SELECT graphile_worker.reschedule_jobs(array_agg(id), run_at := now())
             FROM graphile_worker.jobs WHERE locked_at IS NULL AND attempts > 0 AND attempts < max_attempts`,
          );
          await pool.query(`SELECT pg_notify('jobs:insert', '{"count":1}')`);
          return undefined;
        },
        { timeoutMs: 25_000, intervalMs: 150 },
      );

      const { rows: deliveries } = await pool.query<{ id: string; processing_error: string; attempts: number }>(
        "SELECT id, processing_error, attempts FROM delivery",
      );
      const parked = deliveries[0]!;
      expect(parked.processing_error).toMatch(/violates check constraint "fact_refuses_builds"/);
      expect(parked.attempts).toBe(8);
      expect(failedJobs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const { rows: jobs } = await pool.query<{ attempts: number; max_attempts: number; last_error: string }>(
        "SELECT attempts, max_attempts, last_error FROM graphile_worker.jobs WHERE task_identifier = 'process_delivery'",
      );
      expect(jobs).toEqual([{ attempts: 8, max_attempts: 8, last_error: expect.stringContaining("fact_refuses_builds") }]);
      expect((await pool.query("SELECT 1 FROM fact WHERE delivery_id = $1", [parked.id])).rowCount).toBe(0);

      // The fix ships; `custody replay --failed` re-queues what was parked.
      await pool.query("ALTER TABLE fact DROP CONSTRAINT fact_refuses_builds");
      expect(await requeueDeliveries(pool, { kind: "failed" })).toBe(1);
      await waitUntilAllProcessed(1);
      const { rows: after } = await pool.query<{ processing_error: string | null }>("SELECT processing_error FROM delivery");
      expect(after[0]!.processing_error).toBeNull();
      const { rows: facts } = await pool.query<{ entity_type: string }>("SELECT DISTINCT entity_type FROM fact WHERE delivery_id = $1", [parked.id]);
      expect(facts.map((f) => f.entity_type)).toContain("build");
      expect((await pool.query("SELECT 1 FROM build")).rowCount).toBe(1);
    } finally {
      await pool.query("ALTER TABLE fact DROP CONSTRAINT IF EXISTS fact_refuses_builds");
    }
  }, 60_000);

  it("a delivery that fails inside a batch neither fails nor holds back the others in that batch", async () => {
    // Build facts are refused, so every delivery with one fails; the rest of the story shares its batches.
    await pool.query("ALTER TABLE fact ADD CONSTRAINT fact_refuses_builds CHECK (entity_type <> 'build') NOT VALID");
    try {
      const failing = story.filter((d) => {
        const result = normalizeDelivery({ source: d.source, eventType: d.event, body: Buffer.from(d.body), sha256: "x", receivedAt: new Date() });
        return result.status === "processed" && result.facts.some((f) => f.type === "build");
      }).length;
      expect(failing).toBeGreaterThan(0);
      await postAll(story, 1);
      const runner = await startWorker(1, 20);
      const batchSizes: number[] = [];
      runner.events.on("job:start", ({ job }) => batchSizes.push(Array.isArray(job.payload) ? job.payload.length : 1));
      await pollUntil(
        "every delivery without a build fact to be processed",
        async () => ((await stateCounts()).processed === story.length - failing ? true : undefined),
        { timeoutMs: 20_000, intervalMs: 200, describeLast: stateCounts },
      );
      expect(Math.max(...batchSizes)).toBeGreaterThan(1);
      const { rows: waiting } = await pool.query<{ processing_state: string; processing_error: string; attempts: number }>(
        "SELECT processing_state, processing_error, attempts FROM delivery WHERE processing_state <> 'processed'",
      );
      expect(waiting).toHaveLength(failing);
      for (const row of waiting) {
        expect(row.processing_state).toBe("pending");
        expect(row.processing_error).toMatch(/fact_refuses_builds/);
        expect(row.attempts).toBeGreaterThanOrEqual(1);
      }

      // Once the cause is gone, the retries (brought forward) finish the story: same graph as one by one.
      await pool.query("ALTER TABLE fact DROP CONSTRAINT fact_refuses_builds");
      await pool.query("SELECT graphile_worker.reschedule_jobs(array_agg(id), run_at := now()) FROM graphile_worker.jobs WHERE locked_at IS NULL");
      await pool.query(`SELECT pg_notify('jobs:insert', '{"count":1}')`);
      await waitUntilAllProcessed(story.length);
      expect(await graphSnapshot(pool)).toEqual(canonical);
    } finally {
      await pool.query("ALTER TABLE fact DROP CONSTRAINT IF EXISTS fact_refuses_builds");
    }
  }, 60_000);

  it("two workers running at once process each of 30 deliveries exactly once", async () => {
    const deliveries = buildStory({ seed: 11 }).slice(0, 30);
    await postAll(deliveries, 11);
    expect(await stateCounts()).toEqual({ received: 30 });

    const ranBy = new Map<string, string[]>();
    // Small batches, so there are enough jobs for both workers.
    const [first, second] = await Promise.all([startWorker(3, 2), startWorker(3, 2)]);
    for (const [name, runner] of [["first", first!], ["second", second!]] as const) {
      runner.events.on("job:success", ({ job }) => {
        for (const { deliveryId: id } of job.payload as Array<{ deliveryId: string }>) ranBy.set(id, [...(ranBy.get(id) ?? []), name]);
      });
    }
    await waitUntilAllProcessed(30);
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));

    expect(ranBy.size).toBe(30);
    expect(new Set([...ranBy.values()].flat())).toEqual(new Set(["first", "second"]));
    expect([...ranBy.values()].filter((names) => names.length !== 1)).toEqual([]);
    const { rows } = await pool.query<{ id: string; source: "gitlab" | "buildkite"; event_type: string; body: Buffer; sha256: string; received_at: Date; attempts: number; facts: number; timeline: number; timeline_keys: number }>(
      `SELECT d.id, d.source, d.event_type, d.body, d.sha256, d.received_at, d.attempts,
              (SELECT count(*)::int FROM fact f WHERE f.delivery_id = d.id AND f.entity_type NOT IN ('account', 'project')) AS facts,
              (SELECT count(*)::int FROM timeline_event t WHERE t.delivery_id = d.id) AS timeline,
              (SELECT count(DISTINCT t.key)::int FROM timeline_event t WHERE t.delivery_id = d.id) AS timeline_keys
       FROM delivery d`,
    );
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      const expected = normalizeDelivery({ source: row.source, eventType: row.event_type, body: row.body, sha256: row.sha256, receivedAt: row.received_at });
      if (expected.status !== "processed") throw new Error(`story delivery ${row.event_type} did not normalize: ${JSON.stringify(expected)}`);
      expect({ event: row.event_type, attempts: row.attempts, facts: row.facts, timeline: row.timeline, timelineKeys: row.timeline_keys }).toEqual({
        event: row.event_type,
        attempts: 1,
        // Account and project facts are kept once per distinct statement, so only the others are counted per delivery.
        facts: expected.facts.filter((f) => f.type !== "account" && f.type !== "project").length,
        timeline: expected.timeline.length,
        timelineKeys: expected.timeline.length,
      });
    }

    // And concurrency changed nothing: the same 30 deliveries processed one by one give the same graph.
    const concurrent = await graphSnapshot(pool);
    await truncateAll(pool);
    await postAll(deliveries, 11);
    await processPending(pool);
    expect(concurrent).toEqual(await graphSnapshot(pool));
  }, 60_000);
});
