import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildStory } from "../fixtures/story.ts";
import { configureWebhookSecrets } from "../support/webhook-requests.ts";
import { graphSnapshot, truncateAll } from "../support/graph-snapshot.ts";
import { buildStoryRestObjects } from "../support/story-rest-objects.ts";
import { startMockGitlabApi } from "../support/mock-gitlab-api.ts";
import { startMockBuildkiteApi } from "../support/mock-buildkite-api.ts";
import { processPending, sendStoryDelivery, storyDeliveryId } from "../support/story-ingest.ts";

const story = buildStory();
const rest = buildStoryRestObjects(story);
// Pages of one object and a rate limit that runs out, so every run pages, pauses and meets 429s.
const gitlabApi = await startMockGitlabApi(rest.gitlab, { maxPerPage: 1, rateLimit: { limit: 20, windowSeconds: 1, every429: 7 } });
const buildkiteApi = await startMockBuildkiteApi(rest.buildkite, { maxPerPage: 1, rateLimit: { limit: 3, windowSeconds: 1, every429: 2 } });

configureWebhookSecrets();
Object.assign(process.env, {
  GITLAB_URL: gitlabApi.url,
  GITLAB_API_TOKEN: "glpat-backfill-test",
  GITLAB_BACKFILL_PROJECTS: "acme",
  BUILDKITE_API_URL: buildkiteApi.url,
  BUILDKITE_API_TOKEN: "bkua_backfill_test",
  BUILDKITE_ORG: "acme",
  BUILDKITE_BACKFILL_PIPELINES: "payments-api-deploy",
  CUSTODY_RECONCILE_INTERVAL: "15m",
});
const { resetEnvCache } = await import("@/lib/env");
resetEnvCache();
const { getPool, closeDb } = await import("@/lib/db");
const { startBackfill } = await import("@/lib/backfill/start-backfill");
const { runBackfill } = await import("@/lib/backfill/run-backfill");
const { reconcileSources } = await import("@/lib/backfill/reconcile-sources");
const { getDeployReceipt } = await import("@/lib/domain/get-deploy-receipt");
const { ZReportQuery } = await import("@/lib/contracts/reports");
const { buildCompletenessReport } = await import("@/lib/reports/build-completeness-report");
const { writeReportCsv } = await import("@/lib/reports/write-report-csv");
const { writeReportPdf } = await import("@/lib/reports/write-report-pdf");

const pool = getPool();
const window = { from: new Date("2026-09-01T00:00:00Z"), to: new Date("2026-10-01T00:00:00Z") };

// The webhooks that never arrive: carol's second approval, the merge, the gate being opened, the
// Buildkite deploy finishing and the build passing, the GitLab deploy job, deployment and pipeline finishing.
const dropped = ["11-", "12-", "24-", "28-", "29-", "33-", "34-", "35-"].map((prefix) => Number(prefix.slice(0, 2)) - 1);

async function ingest(indexes: number[]): Promise<void> {
  for (const index of indexes) expect([200, 202]).toContain((await sendStoryDelivery(story[index]!, storyDeliveryId(index))).status);
  await processPending(pool);
}

async function backfill(source: "gitlab" | "buildkite") {
  const run = await startBackfill(pool, { source, kind: "backfill", ...window, startedBy: "test" });
  const outcome = await runBackfill(pool, run.id);
  await processPending(pool);
  return { ...run, outcome };
}

/** The provenance graph without the timeline: a timeline lists announcements, and a missed webhook's announcement stays missed. */
async function entities() {
  const { timeline: _timeline, ...rest } = await graphSnapshot(pool);
  return rest;
}

const all = story.map((_, i) => i);
const partial = all.filter((i) => !dropped.includes(i));

beforeEach(async () => {
  await truncateAll(pool);
  await pool.query("TRUNCATE reconciliation_gap, backfill_run CASCADE");
  gitlabApi.calls.length = 0;
  buildkiteApi.calls.length = 0;
  gitlabApi.failFrom(null);
  buildkiteApi.failFrom(null);
});
afterAll(async () => {
  await closeDb();
  await gitlabApi.close();
  await buildkiteApi.close();
});

describe("backfill from the GitLab and Buildkite APIs", () => {
  it("a story with missing webhooks ends with the same provenance graph as the complete story once backfilled", async () => {
    await ingest(all);
    const complete = await entities();
    await truncateAll(pool);

    await ingest(partial);
    expect(await entities()).not.toEqual(complete);
    expect((await backfill("gitlab")).outcome).toEqual({ state: "done" });
    expect((await backfill("buildkite")).outcome).toEqual({ state: "done" });
    expect(await entities()).toEqual(complete);

    // The APIs were paged and rate limited, and Custody waited instead of failing.
    expect(gitlabApi.calls.some((c) => c.status === 429)).toBe(true);
    expect(buildkiteApi.calls.some((c) => c.status === 429)).toBe(true);
    expect(gitlabApi.calls.some((c) => c.query.includes("page=2"))).toBe(true);
  });

  it("records each gap it filled, and the evidence it stored is marked as read from the API", async () => {
    await ingest(partial);
    await backfill("gitlab");
    await backfill("buildkite");
    const { rows: gaps } = await pool.query<{ source: string; object_kind: string; external_id: string; api_state: string; filled_at: Date | null; origin: string }>(
      `SELECT g.source, g.object_kind, g.external_id, g.api_state, g.filled_at, d.origin FROM reconciliation_gap g JOIN delivery d ON d.id = g.delivery_id ORDER BY 2, 3`,
    );
    const found = gaps.map((g) => `${g.object_kind} ${g.external_id} ${g.api_state}`);
    // Exactly what the dropped webhooks would have told: the merge, the GitLab deploy job and deployment
    // finishing, the gate opened by Erin, the Buildkite deploy job and its deployment finishing. Not gaps:
    // states another webhook already told (the main pipeline's "success" came with its first run;
    // a build stopped at a gate reports "passed" too; carol's approval was delivered once).
    expect(found).toEqual([
      "build_job buildkite:job:01f8b55f-d383-419b-8750-180f5c447174 unblocked",
      "build_job buildkite:job:33675233-2580-4883-91ef-9a25fb852b87 passed",
      "ci_job gitlab:job:4242:9120459 success",
      "deployment buildkite:deployment:33675233-2580-4883-91ef-9a25fb852b87 success",
      "deployment gitlab:deployment:4242:3307 success",
      "merge_request gitlab:mr:4242:17 merged",
    ]);
    for (const gap of gaps) expect(gap).toMatchObject({ origin: "api", filled_at: expect.any(Date) });
    // The deploy receipt shows which of its evidence came from webhooks and which from the API.
    const { rows: deploy } = await pool.query<{ id: string }>("SELECT id FROM deployment WHERE provider = 'gitlab'");
    const receipt = await getDeployReceipt(deploy[0]!.id);
    const origins = new Set(receipt?.evidence.map((e) => e.origin));
    expect(origins).toEqual(new Set(["webhook", "api"]));
    expect(receipt?.evidence).toEqual(expect.arrayContaining([expect.objectContaining({ origin: "api", event: "api.deployment", source: "gitlab" })]));
    // One delivery per object read: 1 MR, its approvals, 2 pipelines, 5 jobs, 1 deployment, 1 build with its jobs.
    const { rows } = await pool.query<{ event_type: string; n: number }>(
      "SELECT event_type, count(*)::int AS n FROM delivery WHERE origin = 'api' AND request_url LIKE $1 GROUP BY 1 ORDER BY 1",
      ["http://127.0.0.1:%"],
    );
    expect(Object.fromEntries(rows.map((r) => [r.event_type, r.n]))).toEqual({
      "api.build.full": 1,
      "api.deployment": 1,
      "api.job": 5,
      "api.merge_request": 1,
      "api.merge_request_approvals": 1,
      "api.pipeline": 2,
    });
  });

  it("the completeness report lists the gaps that were filled, per source and day and one by one", async () => {
    await ingest(partial);
    await backfill("gitlab");
    await backfill("buildkite");
    const today = new Date().toISOString().slice(0, 10);
    const query = { from: `${today}T00:00:00.000Z`, to: new Date(Date.parse(today) + 86_400_000).toISOString() };
    const report = buildCompletenessReport(ZReportQuery.parse(query));
    const rows = [];
    for await (const row of report.rows) rows.push(row);
    expect(rows.filter((r) => r.gapsFound).map((r) => [r.source, r.day, r.gapsFound, r.gapsFilled])).toEqual([
      ["gitlab", today, 3, 3],
      ["buildkite", today, 3, 3],
    ]);
    const summary = report.summary() as { reconciliation: { runs: Record<string, unknown>; gapsFilled: string[] } };
    expect(summary.reconciliation.runs).toEqual({
      gitlab: expect.objectContaining({ backfill: 1, reconcile: 0, failed: 0 }),
      buildkite: expect.objectContaining({ backfill: 1, reconcile: 0, failed: 0 }),
    });
    expect(summary.reconciliation.gapsFilled).toHaveLength(6);
    expect(summary.reconciliation.gapsFilled).toEqual(
      expect.arrayContaining([expect.stringMatching(/ gitlab merge_request gitlab:mr:4242:17 \(merged\) filled by delivery [0-9a-f-]{36}$/)]),
    );
    // The writers keep working with the new columns and section.
    const csv = await new Response(writeReportCsv(buildCompletenessReport(ZReportQuery.parse(query)))).text();
    expect(csv.split("\n")[0]).toContain("gaps_found,gaps_filled");
    const pdf = await writeReportPdf(buildCompletenessReport(ZReportQuery.parse(query)));
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("reading the same window again stores nothing new, and webhooks arriving late create no duplicates", async () => {
    await ingest(all);
    const complete = await entities();
    await truncateAll(pool);
    await ingest(partial);
    await backfill("gitlab");
    await backfill("buildkite");
    const { rows: before } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM delivery");
    const again = await startBackfill(pool, { source: "gitlab", kind: "backfill", ...window, startedBy: "test" });
    expect(again.resumed).toBe(false);
    await runBackfill(pool, again.id);
    const { rows: after } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM delivery");
    expect(after[0]!.n).toBe(before[0]!.n);
    const { rows: run } = await pool.query("SELECT stored, gaps_found FROM backfill_run WHERE id = $1", [again.id]);
    expect(run[0]).toEqual({ stored: 0, gaps_found: 0 });

    await ingest(dropped);
    expect(await entities()).toEqual(complete);
  });

  it("a run that crashes mid-way resumes from its cursor without reading the finished pages again", async () => {
    await ingest(partial);
    const run = await startBackfill(pool, { source: "gitlab", kind: "backfill", ...window, startedBy: "test" });
    gitlabApi.failFrom(12);
    const first = await runBackfill(pool, run.id);
    expect(first.state).toBe("failed");
    const { rows: failed } = await pool.query("SELECT state, error, cursor FROM backfill_run WHERE id = $1", [run.id]);
    expect(failed[0].state).toBe("failed");
    expect(failed[0].error).toMatch(/500/);
    const finishedUnits = Object.entries(failed[0].cursor as Record<string, unknown>).filter(([, v]) => v === "done").map(([k]) => k);
    expect(finishedUnits.length).toBeGreaterThan(0);

    gitlabApi.failFrom(null);
    gitlabApi.calls.length = 0;
    const again = await startBackfill(pool, { source: "gitlab", kind: "backfill", ...window, startedBy: "test" });
    expect(again).toEqual({ id: run.id, resumed: true });
    expect((await runBackfill(pool, run.id)).state).toBe("done");
    // Merge requests were finished before the crash: their list is not read again.
    expect(finishedUnits).toContain("gitlab:4242:merge_requests");
    expect(gitlabApi.calls.filter((c) => c.path.endsWith("/merge_requests"))).toEqual([]);
    await processPending(pool);
    await backfill("buildkite");
    await ingest([]);
    await truncateAll(pool).then(() => pool.query("TRUNCATE reconciliation_gap, backfill_run CASCADE"));
  });

  it("the scheduled reconciliation reads overlapping windows and records the gaps it filled", async () => {
    await ingest(partial);
    // Half an hour after the deploys: the window is the last two intervals.
    const first = new Date("2026-09-14T10:30:00Z");
    expect(await reconcileSources(pool, first)).toEqual({ gitlab: { state: "done" }, buildkite: { state: "done" } });
    expect(await reconcileSources(pool, new Date(first.getTime() + 60_000))).toEqual({ gitlab: "not-due", buildkite: "not-due" });
    const next = new Date(first.getTime() + 16 * 60_000);
    expect(await reconcileSources(pool, next)).toEqual({ gitlab: { state: "done" }, buildkite: { state: "done" } });
    const { rows: runs } = await pool.query("SELECT source, window_from, window_to FROM backfill_run WHERE kind = 'reconcile' ORDER BY created_at, source");
    expect(runs.map((r) => [r.source, r.window_from.toISOString(), r.window_to.toISOString()])).toEqual([
      ["gitlab", "2026-09-14T10:00:00.000Z", "2026-09-14T10:30:00.000Z"],
      ["buildkite", "2026-09-14T10:00:00.000Z", "2026-09-14T10:30:00.000Z"],
      ["gitlab", "2026-09-14T10:15:00.000Z", "2026-09-14T10:46:00.000Z"],
      ["buildkite", "2026-09-14T10:15:00.000Z", "2026-09-14T10:46:00.000Z"],
    ]);
    await processPending(pool);
    const { rows: gaps } = await pool.query("SELECT g.object_kind, g.api_state FROM reconciliation_gap g JOIN backfill_run r ON r.id = g.run_id WHERE r.kind = 'reconcile' ORDER BY 1, 2");
    expect(gaps).toEqual(
      expect.arrayContaining([
        { object_kind: "deployment", api_state: "success" },
        { object_kind: "build_job", api_state: "unblocked" },
      ]),
    );
    const { rows: deploy } = await pool.query("SELECT status FROM deployment WHERE provider = 'gitlab'");
    expect(deploy).toEqual([{ status: "success" }]);
  });

  it("a scheduled pass whose worker died is finished from its cursor by the next pass", async () => {
    await ingest(partial);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO backfill_run (id, source, kind, window_from, window_to, state, cursor, started_by)
       VALUES (gen_random_uuid(), 'buildkite', 'reconcile', '2026-09-14T10:00:00Z', '2026-09-14T10:30:00Z', 'running', '{}', 'schedule') RETURNING id`,
    );
    await reconcileSources(pool, new Date("2026-09-14T10:31:00Z"));
    const { rows: after } = await pool.query("SELECT state, fetched FROM backfill_run WHERE id = $1", [rows[0]!.id]);
    expect(after[0].state).toBe("done");
    expect(after[0].fetched).toBeGreaterThan(0);
  });
});
