import "server-only";
import { getPool } from "@/lib/db";
import type { TTimelinePage, TTimelineQuery } from "@/lib/contracts/timeline";
import { decodeCursor, encodeCursor } from "@/lib/shared/keyset-cursor";
import { BadCursorError } from "@/lib/http/bad-cursor-error";

const SHA = /^[0-9a-f]{7,40}$/i;
const MR_REF = /^[\w.-]+(\/[\w.-]+)+![0-9]+$/;
const NUMBER = /^#?[0-9]{1,20}$/;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// Every distinct kind, read by skipping through the kind index (a few dozen index probes, not a scan).
const DISTINCT_KINDS = `WITH RECURSIVE k AS (
    (SELECT kind FROM timeline_event ORDER BY kind LIMIT 1)
    UNION ALL
    SELECT (SELECT t.kind FROM timeline_event t WHERE t.kind > k.kind ORDER BY t.kind LIMIT 1) FROM k WHERE k.kind IS NOT NULL
  ) SELECT kind FROM k WHERE kind IS NOT NULL AND (kind = $1 OR kind LIKE $1 || '.%')`;

// Deployments of a commit, each way a deployment names it; a UNION so every branch can use its own index.
const DEPLOYMENTS_OF_SHA = `SELECT d.id, d.environment, d.status, d.occurred_at FROM deployment d
  WHERE d.id IN (
    SELECT id FROM deployment WHERE commit_sha LIKE $1
    UNION SELECT id FROM deployment WHERE short_sha LIKE $1
    UNION SELECT d2.id FROM ci_job j JOIN deployment d2 ON d2.job_external_id = j.external_id AND d2.project_id = j.project_id WHERE j.sha LIKE $1)
  ORDER BY d.occurred_at DESC LIMIT 20`;

/**
 * The timeline, newest first, keyset-paged on (occurred_at, id). `q` is an exact identifier when it
 * looks like one (full or short SHA, `group/project!iid`, a pipeline/build/job number) and free text
 * over titles, actors, projects and refs otherwise. For a SHA, deployments of that commit are
 * returned too, so a search can land on the receipt.
 *
 * Each condition is written so an index can answer it (bench/README.md has the plans): filters by
 * (column, occurred_at, id) indexes, identifiers by the GIN index on refs and a prefix index on sha,
 * free text by a trigram index over `timeline_search_text(...)`, the per-column ILIKEs kept as the
 * exact test. A kind prefix is first resolved to the kinds that exist.
 */
export async function findTimelineEvents(query: TTimelineQuery): Promise<TTimelinePage> {
  const cursor = decodeCursor(query.cursor);
  if (query.cursor && !cursor) throw new BadCursorError("cursor is not valid");
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  const pool = getPool();
  const q = query.q?.trim();
  if (q) {
    if (SHA.test(q)) {
      values.push(`${q.toLowerCase()}%`, q.toLowerCase());
      where.push(`(sha LIKE $${values.length - 1} OR refs @> ARRAY[$${values.length}])`);
    } else if (MR_REF.test(q)) add((n) => `refs @> ARRAY[${n}]::text[]`, q);
    else if (NUMBER.test(q)) add((n) => `refs @> ARRAY[${n}]::text[]`, q.replace(/^#/, ""));
    else
      add(
        (n) =>
          `timeline_search_text(title, actor, project_path, refs) ILIKE ${n}
           AND (title ILIKE ${n} OR actor ILIKE ${n} OR project_path ILIKE ${n} OR array_to_string(refs, ' ') ILIKE ${n})`,
        `%${escapeLike(q)}%`,
      );
  }
  if (query.project) add((n) => `project_path = ${n}`, query.project);
  if (query.environment) add((n) => `environment = ${n}`, query.environment);
  if (query.person) add((n) => `actor = ${n}`, query.person);
  if (query.kind) {
    const { rows: kinds } = await pool.query<{ kind: string }>(DISTINCT_KINDS, [query.kind]);
    // One kind reads its (kind, occurred_at, id) index in page order; several let the planner choose.
    if (kinds.length === 1) add((n) => `kind = ${n}`, kinds[0]!.kind);
    else add((n) => `kind = ANY(${n}::text[])`, kinds.map((k) => k.kind));
  }
  if (query.from) add((n) => `occurred_at >= ${n}`, new Date(query.from));
  if (query.to) add((n) => `occurred_at < ${n}`, new Date(query.to));
  if (cursor) {
    values.push(cursor.at, cursor.id);
    where.push(`(occurred_at, id) < ($${values.length - 1}, $${values.length}::bigint)`);
  }
  values.push(query.limit + 1);
  const { rows } = await pool.query<{
    id: string;
    occurred_at: Date;
    kind: string;
    source: string;
    title: string;
    project_path: string | null;
    environment: string | null;
    actor: string | null;
    sha: string | null;
    refs: string[];
    delivery_id: string | null;
  }>(
    `SELECT id::text, occurred_at, kind, source, title, project_path, environment, actor, sha, refs, delivery_id
     FROM timeline_event ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY occurred_at DESC, timeline_event.id DESC LIMIT $${values.length}`,
    values,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const deployments =
    q && SHA.test(q)
      ? (
          await pool.query<{ id: string; environment: string; status: string | null; occurred_at: Date }>(DEPLOYMENTS_OF_SHA, [
            `${q.toLowerCase()}%`,
          ])
        ).rows.map((d) => ({ id: d.id, environment: d.environment, status: d.status, occurredAt: d.occurred_at.toISOString() }))
      : [];
  return {
    items: page.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at.toISOString(),
      kind: r.kind,
      source: r.source,
      title: r.title,
      projectPath: r.project_path,
      environment: r.environment,
      actor: r.actor,
      sha: r.sha,
      refs: r.refs,
      deliveryId: r.delivery_id,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.occurred_at, last.id) : null,
    deployments,
  };
}
