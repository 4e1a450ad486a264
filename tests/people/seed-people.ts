import type pg from "pg";

/** Test rows for people linking, written straight to the tables the ingest worker fills. */
export async function seedAccount(pool: pg.Pool, a: { system: "gitlab" | "buildkite"; externalId: string; username?: string | null; name?: string | null; email?: string | null }): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    "INSERT INTO account (id, system, external_id, username, name, email) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING id",
    [a.system, a.externalId, a.username ?? null, a.name ?? null, a.email ?? null],
  );
  return rows[0]!.id;
}

/** A push by `accountId` of one commit authored as `authorEmail` (the git email, not GitLab's). */
export async function seedPush(pool: pg.Pool, accountId: string, sha: string, authorEmail: string, at = "2026-11-01T10:00:00Z"): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    "INSERT INTO project (id, provider, external_id, path) VALUES (gen_random_uuid(), 'gitlab', $1, $1) ON CONFLICT (provider, external_id) DO UPDATE SET path = EXCLUDED.path RETURNING id",
    ["acme/app"],
  );
  await pool.query("INSERT INTO commit (project_id, sha, author_name, author_email) VALUES ($1, $2, 'Somebody', $3)", [rows[0]!.id, sha, authorEmail]);
  await seedEvent(pool, accountId, { key: `push:${sha}`, kind: "push", source: "gitlab", title: `pushed ${sha.slice(0, 8)}`, at, refs: ["main", sha] });
}

export async function seedEvent(pool: pg.Pool, accountId: string, e: { key: string; kind: string; source: string; title: string; at: string; refs?: string[] }): Promise<void> {
  await pool.query(
    "INSERT INTO timeline_event (key, occurred_at, kind, source, account_id, title, refs) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [e.key, e.at, e.kind, e.source, accountId, e.title, e.refs ?? []],
  );
}

export async function accountRow(pool: pg.Pool, id: string): Promise<{ person_id: string | null; link_method: string | null; link_evidence: Record<string, unknown> | null }> {
  const { rows } = await pool.query("SELECT person_id, link_method, link_evidence FROM account WHERE id = $1", [id]);
  return rows[0];
}
