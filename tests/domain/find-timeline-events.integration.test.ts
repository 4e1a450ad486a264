import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { truncateAll } from "../support/graph-snapshot.ts";

const { getPool, closeDb } = await import("@/lib/db");
const { findTimelineEvents } = await import("@/lib/domain/find-timeline-events");
const { ZTimelineQuery } = await import("@/lib/contracts/timeline");
const pool = getPool();

const query = (input: Record<string, unknown>) => findTimelineEvents(ZTimelineQuery.parse(input));

beforeAll(async () => {
  await truncateAll(pool);
  // 150 events on only three distinct timestamps: pages must split ties without skipping or repeating.
  const times = ["2026-09-14T10:00:00Z", "2026-09-14T11:00:00Z", "2026-09-14T12:00:00Z"];
  for (let i = 0; i < 150; i++) {
    await pool.query(
      `INSERT INTO timeline_event (key, occurred_at, kind, source, project_path, environment, actor, title, sha, refs)
       VALUES ($1, $2, $3, 'gitlab', $4, $5, $6, $7, $8, $9)`,
      [
        `seed:${i}`,
        times[i % 3],
        i % 2 ? "pipeline.success" : "merge_request.approved",
        i % 5 ? "acme/payments-api" : "acme/ledger",
        i % 7 ? null : "production",
        i % 4 ? "alice" : "bob",
        `Event ${i} ${i === 42 ? "retry refunds idempotently" : ""}`.trim(),
        `${(i + 4096).toString(16).padStart(4, "0")}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
        [`acme/payments-api!${i}`, String(900000 + i)],
      ],
    );
  }
});
afterAll(async () => closeDb());

describe("timeline search and pagination", () => {
  it("pages through equal timestamps newest first with nothing skipped or repeated", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let previous: { at: string; id: number } | null = null;
    do {
      const page = await query({ limit: 23, cursor });
      for (const item of page.items) {
        if (previous) {
          const ordered = item.occurredAt < previous.at || (item.occurredAt === previous.at && Number(item.id) < previous.id);
          expect(ordered).toBe(true);
        }
        previous = { at: item.occurredAt, id: Number(item.id) };
        seen.push(item.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(150);
    expect(new Set(seen).size).toBe(150);
  });

  it("finds an event by short SHA, full SHA, merge request reference and number", async () => {
    const sha = `${(42 + 4096).toString(16).padStart(4, "0")}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`;
    expect((await query({ q: sha.slice(0, 8) })).items.map((i) => i.title)).toEqual(["Event 42 retry refunds idempotently"]);
    expect((await query({ q: sha })).items).toHaveLength(1);
    expect((await query({ q: "acme/payments-api!42" })).items.map((i) => i.sha)).toEqual([sha]);
    expect((await query({ q: "900042" })).items).toHaveLength(1);
    expect((await query({ q: "#900042" })).items).toHaveLength(1);
  });

  it("free text matches titles and actors, case-insensitively, and treats % literally", async () => {
    expect((await query({ q: "Refunds Idempotently" })).items).toHaveLength(1);
    expect((await query({ q: "bob", limit: 200 })).items).toHaveLength(38);
    expect((await query({ q: "100%" })).items).toHaveLength(0);
  });

  it("each filter narrows the stream", async () => {
    expect((await query({ project: "acme/ledger", limit: 200 })).items).toHaveLength(30);
    expect((await query({ environment: "production", limit: 200 })).items).toHaveLength(22);
    expect((await query({ person: "alice", limit: 200 })).items).toHaveLength(112);
    expect((await query({ kind: "pipeline", limit: 200 })).items).toHaveLength(75);
    expect((await query({ kind: "merge_request.approved", limit: 200 })).items).toHaveLength(75);
    const window = await query({ from: "2026-09-14T11:00:00Z", to: "2026-09-14T12:00:00Z", limit: 200 });
    expect(window.items).toHaveLength(50);
    expect(new Set(window.items.map((i) => i.occurredAt))).toEqual(new Set(["2026-09-14T11:00:00.000Z"]));
  });

  it("a tampered cursor is refused", async () => {
    await expect(query({ cursor: "bm90LWEtY3Vyc29y" })).rejects.toThrow(/cursor/);
  });

  it("a filtered view pages through equal timestamps with nothing skipped or repeated", async () => {
    for (const filter of [{ project: "acme/payments-api" }, { person: "alice" }, { kind: "pipeline" }, { q: "Event" }]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await query({ ...filter, limit: 17, cursor });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const all = await query({ ...filter, limit: 200 });
      expect(seen).toEqual(all.items.map((i) => i.id));
      expect(new Set(seen).size).toBe(seen.length);
    }
  });
});

describe("identifier kinds, deployments of a SHA, and filter edges", () => {
  const sha = "c0ffee1234567890abcdef1234567890abcdef12";
  const at = "2026-10-01T08:00:00Z";
  const insert = (key: string, kind: string, title: string, refs: string[], extra: { sha?: string; actor?: string; project?: string } = {}) =>
    pool.query(
      `INSERT INTO timeline_event (key, occurred_at, kind, source, project_path, actor, title, sha, refs) VALUES ($1, $2, $3, 'gitlab', $4, $5, $6, $7, $8)`,
      [key, at, kind, extra.project ?? "acme/search", extra.actor ?? null, title, extra.sha ?? null, refs],
    );

  beforeAll(async () => {
    await insert("id:pipeline", "pipeline.success", "Pipeline #777001 success on feature/search-box (acme/search)", ["777001", "#777001", sha, "feature/search-box"], { sha });
    await insert("id:job", "job.success", "Job test #888002 success", ["888002", "777001", sha], { sha });
    await insert("id:build", "build.finished", "Build acme-search #4242 passed", ["acme-search#4242", "4242", sha, "main"], { sha, actor: "Grace Hopper" });
    await insert("id:other-kind", "pipelines.archived", "Not a pipeline event", ["x"]);
    await insert("id:underscore", "push", "renamed axb", ["axb"]);
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO project (id, provider, external_id, path) VALUES (gen_random_uuid(), 'gitlab', '9100', 'acme/search') RETURNING id",
    );
    const projectId = rows[0]!.id;
    await pool.query(
      `INSERT INTO ci_job (id, project_id, external_id, name, sha) VALUES (gen_random_uuid(), $1, '888003', 'deploy', $2)`,
      [projectId, sha],
    );
    // Three ways a deployment names its commit: the full SHA, only the short SHA, only through its job.
    await pool.query(
      `INSERT INTO deployment (id, provider, external_id, project_id, environment, status, commit_sha, short_sha, job_external_id, occurred_at) VALUES
         (gen_random_uuid(), 'gitlab', '9100:1', $1, 'production', 'success', $2, NULL, NULL, '2026-10-01T09:00:00Z'),
         (gen_random_uuid(), 'gitlab', '9100:2', $1, 'staging', 'success', NULL, $3, NULL, '2026-10-01T10:00:00Z'),
         (gen_random_uuid(), 'gitlab', '9100:3', $1, 'review/x', 'success', NULL, NULL, '888003', '2026-10-01T11:00:00Z'),
         (gen_random_uuid(), 'gitlab', '9100:4', $1, 'production', 'success', 'ffffffffffffffffffffffffffffffffffffffff', NULL, NULL, '2026-10-01T12:00:00Z')`,
      [projectId, sha, sha.slice(0, 8)],
    );
  });

  it("finds a pipeline id (with or without #), a job id and a build number among refs", async () => {
    const titles = async (q: string) => (await query({ q })).items.map((i) => i.title).sort();
    expect(await titles("777001")).toEqual(["Job test #888002 success", "Pipeline #777001 success on feature/search-box (acme/search)"]);
    expect(await titles("#777001")).toEqual(await titles("777001"));
    expect(await titles("888002")).toEqual(["Job test #888002 success"]);
    expect(await titles("4242")).toEqual(["Build acme-search #4242 passed"]);
    expect(await titles("acme/search!1")).toEqual([]);
  });

  it("a short SHA finds its events and every deployment of the commit, however the deployment names it", async () => {
    const page = await query({ q: sha.slice(0, 7).toUpperCase() });
    expect(page.items).toHaveLength(3);
    expect(page.deployments.map((d) => d.environment)).toEqual(["review/x", "staging", "production"]);
    // The short SHA column holds only the short SHA, so a full SHA does not reach that deployment.
    expect((await query({ q: sha })).deployments.map((d) => d.environment)).toEqual(["review/x", "production"]);
    expect((await query({ q: "free text" })).deployments).toEqual([]);
  });

  it("free text reaches branches, projects and people's names, and treats _ literally", async () => {
    expect((await query({ q: "search-box" })).items.map((i) => i.refs[0])).toEqual(["777001"]);
    expect((await query({ q: "grace hopper" })).items).toHaveLength(1);
    expect((await query({ q: "acme/search", limit: 200 })).items).toHaveLength(5);
    expect((await query({ q: "a_b" })).items).toHaveLength(0);
    expect((await query({ q: "axb" })).items).toHaveLength(1);
  });

  it("a kind filter matches the kind and its dotted sub-kinds only", async () => {
    const kinds = new Set((await query({ kind: "pipeline", limit: 200 })).items.map((i) => i.kind));
    expect(kinds).toEqual(new Set(["pipeline.success"]));
    expect((await query({ kind: "pipelines.archived" })).items).toHaveLength(1);
    expect((await query({ kind: "pipelines" })).items).toHaveLength(1);
    expect((await query({ kind: "pipe" })).items).toHaveLength(0);
    expect((await query({ kind: "no-such-kind" })).items).toHaveLength(0);
  });
});
