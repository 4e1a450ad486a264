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

/** Newest rows a free-text search reads in time order before it turns to the trigram index. */
const TEXT_WINDOW = 5_000;

const COLUMNS = "id::text, occurred_at, kind, source, title, project_path, environment, actor, sha, refs, delivery_id";

type TRow = {
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
};

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
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const pool = getPool();
  const q = query.q?.trim();
  let identifier = false;
  let text: { exact: string; indexed: string } | null = null;
  if (q) {
    identifier = true;
    if (SHA.test(q)) where.push(`(sha LIKE ${param(`${q.toLowerCase()}%`)} OR refs @> ARRAY[${param(q.toLowerCase())}])`);
    else if (MR_REF.test(q)) where.push(`refs @> ARRAY[${param(q)}]::text[]`);
    else if (NUMBER.test(q)) where.push(`refs @> ARRAY[${param(q.replace(/^#/, ""))}]::text[]`);
    else {
      identifier = false;
      const n = param(`%${escapeLike(q)}%`);
      const exact = `(title ILIKE ${n} OR actor ILIKE ${n} OR project_path ILIKE ${n} OR array_to_string(refs, ' ') ILIKE ${n})`;
      text = { exact, indexed: `timeline_search_text(title, actor, project_path, refs) ILIKE ${n} AND ${exact}` };
    }
  }
  if (query.project) where.push(`project_path = ${param(query.project)}`);
  if (query.environment) where.push(`environment = ${param(query.environment)}`);
  if (query.person) where.push(`actor = ${param(query.person)}`);
  if (query.kind) {
    const { rows: kinds } = await pool.query<{ kind: string }>(DISTINCT_KINDS, [query.kind]);
    // One kind reads its (kind, occurred_at, id) index in page order; several let the planner choose.
    if (kinds.length === 1) where.push(`kind = ${param(kinds[0]!.kind)}`);
    else where.push(`kind = ANY(${param(kinds.map((k) => k.kind))}::text[])`);
  }
  if (query.from) where.push(`occurred_at >= ${param(new Date(query.from))}`);
  if (query.to) where.push(`occurred_at < ${param(new Date(query.to))}`);
  if (cursor) where.push(`(occurred_at, id) < (${param(cursor.at)}, ${param(cursor.id)}::bigint)`);
  const limit = param(query.limit + 1);
  const filtered = (extra: string | null) => {
    const all = extra ? [...where, extra] : where;
    return all.length ? `WHERE ${all.join(" AND ")}` : "";
  };

  let rows: TRow[];
  if (text) {
    // Free text: a word in every tenth row shows up among the newest rows, and reading them in time order
    // is cheapest; a rare one is cheapest through the trigram index. Which one a string is the planner
    // cannot tell (substring estimates are guesses), so the newest rows are tried first. When they hold a
    // full page, that page is exact: every match outside them is older than all of them.
    const window = param(TEXT_WINDOW);
    ({ rows } = await pool.query<TRow>(
      `SELECT ${COLUMNS} FROM (SELECT * FROM timeline_event ${filtered(null)} ORDER BY occurred_at DESC, id DESC LIMIT ${window}) recent
       WHERE ${text.exact} ORDER BY occurred_at DESC, recent.id DESC LIMIT ${limit}`,
      values,
    ));
    if (rows.length <= query.limit) {
      ({ rows } = await pool.query<TRow>(
        `WITH hit AS MATERIALIZED (SELECT * FROM timeline_event ${filtered(text.indexed)})
         SELECT ${COLUMNS} FROM hit ORDER BY occurred_at DESC, hit.id DESC LIMIT ${limit}`,
        values.slice(0, -1),
      ));
    }
  } else if (identifier) {
    // An identifier names few rows, but they can be old (build #17 of every pipeline ran long ago): walking
    // the time index from now until a page turns up could read most of the table. So its matches are
    // fetched through their indexes first and sorted afterwards.
    ({ rows } = await pool.query<TRow>(
      `WITH hit AS MATERIALIZED (SELECT * FROM timeline_event ${filtered(null)})
       SELECT ${COLUMNS} FROM hit ORDER BY occurred_at DESC, hit.id DESC LIMIT ${limit}`,
      values,
    ));
  } else {
    ({ rows } = await pool.query<TRow>(
      `SELECT ${COLUMNS} FROM timeline_event ${filtered(null)} ORDER BY occurred_at DESC, timeline_event.id DESC LIMIT ${limit}`,
      values,
    ));
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const deployments =
    q && identifier && SHA.test(q)
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
