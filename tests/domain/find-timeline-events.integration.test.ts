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
});
