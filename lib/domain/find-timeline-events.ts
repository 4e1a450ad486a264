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

/**
 * The timeline, newest first, keyset-paged on (occurred_at, id). `q` is an exact identifier when it
 * looks like one (full or short SHA, `group/project!iid`, a pipeline/build/job number) and free text
 * over titles, actors, projects and refs otherwise. For a SHA, deployments of that commit are
 * returned too, so a search can land on the receipt.
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
  const q = query.q?.trim();
  if (q) {
    if (SHA.test(q)) add((n) => `(sha LIKE ${n} || '%' OR refs @> ARRAY[${n}])`, q.toLowerCase());
    else if (MR_REF.test(q)) add((n) => `refs @> ARRAY[${n}]`, q);
    else if (NUMBER.test(q)) add((n) => `refs @> ARRAY[${n}]`, q.replace(/^#/, ""));
    else add((n) => `(title ILIKE ${n} OR actor ILIKE ${n} OR project_path ILIKE ${n} OR array_to_string(refs, ' ') ILIKE ${n})`, `%${escapeLike(q)}%`);
  }
  if (query.project) add((n) => `project_path = ${n}`, query.project);
  if (query.environment) add((n) => `environment = ${n}`, query.environment);
  if (query.person) add((n) => `actor = ${n}`, query.person);
  if (query.kind) add((n) => `(kind = ${n} OR kind LIKE ${n} || '.%')`, query.kind);
  if (query.from) add((n) => `occurred_at >= ${n}`, new Date(query.from));
  if (query.to) add((n) => `occurred_at < ${n}`, new Date(query.to));
  if (cursor) {
    values.push(cursor.at, cursor.id);
    where.push(`(occurred_at, id) < ($${values.length - 1}, $${values.length}::bigint)`);
  }
  values.push(query.limit + 1);
  const pool = getPool();
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
          await pool.query<{ id: string; environment: string; status: string | null; occurred_at: Date }>(
            `SELECT d.id, d.environment, d.status, d.occurred_at FROM deployment d
             LEFT JOIN ci_job j ON j.project_id = d.project_id AND j.external_id = d.job_external_id
             WHERE d.commit_sha LIKE $1 || '%' OR d.short_sha LIKE $1 || '%' OR j.sha LIKE $1 || '%'
             ORDER BY d.occurred_at DESC LIMIT 20`,
            [q.toLowerCase()],
          )
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
