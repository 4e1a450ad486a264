import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { closeDb, getPool } from "@/lib/db";
import { buildStory } from "../fixtures/story.ts";
import { runCustody } from "../support/spawn-custody.ts";
import { truncateAll } from "../support/graph-snapshot.ts";
import { buildStoryRestObjects } from "../support/story-rest-objects.ts";
import { startMockGitlabApi } from "../support/mock-gitlab-api.ts";
import { startMockBuildkiteApi } from "../support/mock-buildkite-api.ts";

const rest = buildStoryRestObjects(buildStory());
const gitlabApi = await startMockGitlabApi(rest.gitlab, { maxPerPage: 1 });
const buildkiteApi = await startMockBuildkiteApi(rest.buildkite);
const pool = getPool();

const custody = async (...args: string[]) => custodyOn({ DATABASE_URL: inject("databaseUrl") }, ...args);
const custodyOn = async (database: Record<string, string>, ...args: string[]) => {
  const run = runCustody(["backfill", ...args], {
    ...database,
    GITLAB_URL: gitlabApi.url,
    GITLAB_API_TOKEN: "glpat-backfill-test",
    GITLAB_BACKFILL_PROJECTS: "acme/payments-api",
    BUILDKITE_API_URL: buildkiteApi.url,
    BUILDKITE_API_TOKEN: "bkua_backfill_test",
    BUILDKITE_ORG: "acme",
    BUILDKITE_BACKFILL_PIPELINES: "payments-api-deploy",
  });
  return { code: await run.exited, output: run.output() };
};

beforeEach(async () => {
  await truncateAll(pool);
  await pool.query("TRUNCATE reconciliation_gap, backfill_run CASCADE");
  gitlabApi.failFrom(null);
});
afterAll(async () => {
  await closeDb();
  await gitlabApi.close();
  await buildkiteApi.close();
});

describe("npx custody backfill", () => {
  it("reads a window with progress on stderr, and an interrupted run continues when the command is run again", async () => {
    gitlabApi.failFrom(6);
    const callsBefore = gitlabApi.calls.length;
    const stopped = await custody("--source", "gitlab", "--since", "2026-09-01", "--until", "2026-10-01");
    expect(stopped.code).toBe(1);
    // A failed run keeps its counters up to the failing request, not only to the last saved page.
    const { rows: counted } = await pool.query("SELECT requests FROM backfill_run");
    expect(counted[0].requests).toBe(gitlabApi.calls.length - callsBefore);
    expect(stopped.output).toMatch(/Started backfill [0-9a-f-]{36} \(gitlab since 2026-09-01 until 2026-10-01\)/);
    expect(stopped.output).toMatch(/Stopped: .*500.*Run the same command again to continue where it stopped\./s);

    gitlabApi.failFrom(null);
    const resumed = await custody("--source", "gitlab", "--since", "2026-09-01", "--until", "2026-10-01");
    expect(resumed.code).toBe(0);
    expect(resumed.output).toMatch(/Continuing backfill/);
    expect(resumed.output).toMatch(/3\/3 parts done · \d+ requests · \d+ objects read · \d+ new · \d+ gaps filled/);
    const { rows } = await pool.query("SELECT count(*)::int AS runs, min(state) AS state FROM backfill_run");
    expect(rows[0]).toEqual({ runs: 1, state: "done" });
    const { rows: audit } = await pool.query("SELECT count(*)::int AS n FROM audit_entry WHERE action = 'backfill' AND actor_type = 'cli'");
    expect(audit[0].n).toBe(2);
  });

  it("without DATABASE_URL backfills into the embedded database, as the other commands do", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "custody-backfill-embedded-"));
    try {
      // As after a first `npm start`: the embedded database exists and is migrated.
      expect(await runCustody(["migrate"], { CUSTODY_DATA_DIR: dataDir }).exited).toBe(0);
      const run = await custodyOn({ CUSTODY_DATA_DIR: dataDir }, "--source", "buildkite", "--since", "2026-09-01", "--until", "2026-10-01");
      expect(run.output).toContain("Opening the embedded database");
      expect(run.code).toBe(0);
      expect(run.output).toMatch(/Started backfill .*Done\./s);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("names what is wrong with the arguments or the settings", async () => {
    const bad = await custody("--source", "jenkins", "--since", "2026-09-01");
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("Usage: custody backfill --source gitlab|buildkite --since <date> [--until <date>]");
    const noDate = await custody("--source", "buildkite");
    expect(noDate.code).toBe(2);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM backfill_run");
    expect(rows[0].n).toBe(0);
  });
});
