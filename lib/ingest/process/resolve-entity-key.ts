import type pg from "pg";

/**
 * Returns the row id for an entity key, creating a placeholder row when the entity has not been
 * seen yet (a job can arrive before its pipeline). The placeholder is filled in when that entity's
 * own facts are folded. Callers hold the key's advisory lock.
 */
export async function resolveEntityKey(client: pg.PoolClient, key: string, cache: Map<string, string>): Promise<string | null> {
  const hit = cache.get(key);
  if (hit) return hit;
  const parts = key.split(":");
  const [system, kind] = parts;
  let id: string | null = null;
  const one = async (sql: string, values: unknown[]) => (await client.query<{ id: string }>(sql, values)).rows[0]?.id ?? null;
  // Read first: shared rows exist almost always, and a read takes no row lock.
  if (kind === "user" && (system === "gitlab" || system === "buildkite")) {
    const externalId = parts.slice(2).join(":");
    id =
      (await one("SELECT id FROM account WHERE system = $1 AND external_id = $2", [system, externalId])) ??
      (await one(
        `INSERT INTO account (id, system, external_id) VALUES (gen_random_uuid(), $1, $2)
         ON CONFLICT (system, external_id) DO UPDATE SET system = EXCLUDED.system RETURNING id`,
        [system, externalId],
      ));
  } else if (system === "gitlab" && kind === "project") {
    id =
      (await one("SELECT id FROM project WHERE provider = 'gitlab' AND external_id = $1", [parts[2]])) ??
      (await one(
        `INSERT INTO project (id, provider, external_id, path) VALUES (gen_random_uuid(), 'gitlab', $1, $1)
         ON CONFLICT (provider, external_id) DO UPDATE SET provider = EXCLUDED.provider RETURNING id`,
        [parts[2]],
      ));
  } else if (system === "gitlab" && kind === "mr") {
    const projectId = await resolveEntityKey(client, `gitlab:project:${parts[2]}`, cache);
    id = await one(
      `INSERT INTO merge_request (id, project_id, iid) VALUES (gen_random_uuid(), $1, $2)
       ON CONFLICT (project_id, iid) DO UPDATE SET iid = EXCLUDED.iid RETURNING id`,
      [projectId, Number(parts[3])],
    );
  } else if (system === "gitlab" && kind === "pipeline") {
    const projectId = await resolveEntityKey(client, `gitlab:project:${parts[2]}`, cache);
    id = await one(
      `INSERT INTO pipeline (id, project_id, external_id) VALUES (gen_random_uuid(), $1, $2)
       ON CONFLICT (project_id, external_id) DO UPDATE SET external_id = EXCLUDED.external_id RETURNING id`,
      [projectId, parts[3]],
    );
  } else if (system === "buildkite" && kind === "build") {
    id = await one("SELECT id FROM build WHERE external_id = $1", [parts.slice(2).join(":")]);
  }
  if (id) cache.set(key, id);
  return id;
}
